using System.Collections;
using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Digest.Core;

internal static class ValidatedOptions
{
    /// <summary>
    /// Binds <typeparamref name="TOptions"/> to <paramref name="section"/> and validates its data annotations on start,
    /// with messages that name the configuration key (<c>Feeds:Timeout: …</c>) so a bad value stops startup clearly.
    /// </summary>
    public static OptionsBuilder<TOptions> AddValidatedOptions<TOptions>(this IServiceCollection services, string section)
        where TOptions : class
    {
        services.AddSingleton<IValidateOptions<TOptions>>(sp => new SectionValidation<TOptions>(section, sp));
        return services.AddOptions<TOptions>().BindConfiguration(section).ValidateOnStart();
    }

    /// <summary>The host's cron evaluator, for options that hold a schedule (<see cref="IValidatableObject"/> gets the host's services).</summary>
    public static ICron Cron(this ValidationContext context) =>
        context.GetService(typeof(ICron)) as ICron ?? throw new InvalidOperationException($"No {nameof(ICron)} is registered: the host provides the cron evaluator");

    private sealed class SectionValidation<TOptions>(string section, IServiceProvider services) : IValidateOptions<TOptions>
        where TOptions : class
    {
        public ValidateOptionsResult Validate(string? name, TOptions options)
        {
            var failures = new List<string>();
            Dropped(options, services.GetRequiredService<IConfiguration>().GetSection(section), failures);
            Collect(options, section, services, failures);
            return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
        }

        /// <summary>
        /// The binder leaves out, without a word, a list entry it cannot convert (a feed whose <c>Interval</c> is
        /// <c>abc</c> would simply not be polled): each such entry is bound again on its own to say which key is wrong.
        /// </summary>
        private static void Dropped(object target, IConfigurationSection configuration, List<string> failures)
        {
            foreach (var property in target.GetType().GetProperties())
            {
                if (property.GetValue(target) is not IList list || !property.PropertyType.IsGenericType)
                {
                    continue;
                }

                var entries = configuration.GetSection(property.Name).GetChildren().ToList();
                if (entries.Count <= list.Count)
                {
                    continue;
                }

                foreach (var entry in entries)
                {
                    try
                    {
                        entry.Get(property.PropertyType.GetGenericArguments()[0]);
                    }
                    catch (InvalidOperationException e)
                    {
                        failures.Add(e.Message);
                    }
                }
            }
        }

        /// <summary>Validates an object and, like the framework's validator, the members marked <see cref="ValidateObjectMembersAttribute"/> or <see cref="ValidateEnumeratedItemsAttribute"/>.</summary>
        private static void Collect(object target, string path, IServiceProvider services, List<string> failures)
        {
            var results = new List<ValidationResult>();
            if (!Validator.TryValidateObject(target, new ValidationContext(target, services, null), results, validateAllProperties: true))
            {
                failures.AddRange(results.Select(r => $"{path}:{string.Join(",", r.MemberNames)}: {r.ErrorMessage}"));
            }

            foreach (var property in target.GetType().GetProperties())
            {
                if (property.GetValue(target) is not { } value)
                {
                    continue;
                }

                if (property.IsDefined(typeof(ValidateObjectMembersAttribute), inherit: true))
                {
                    Collect(value, $"{path}:{property.Name}", services, failures);
                }
                else if (property.IsDefined(typeof(ValidateEnumeratedItemsAttribute), inherit: true) && value is System.Collections.IEnumerable items)
                {
                    var index = 0;
                    foreach (var item in items)
                    {
                        if (item is not null)
                        {
                            Collect(item, $"{path}:{property.Name}:{index}", services, failures);
                        }

                        index++;
                    }
                }
            }
        }
    }
}

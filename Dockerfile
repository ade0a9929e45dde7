# Digest worker image: build with the SDK, run on the ASP.NET Core runtime (the worker references Microsoft.AspNetCore.App).
#   docker build -t digest .
#   docker run --rm -v digest-data:/data digest            # SQLite in /data, one worker
#   docker compose -f config/docker-compose.yml up         # PostgreSQL and two workers

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src

COPY global.json Directory.Build.props Directory.Packages.props ./
COPY .ci/BannedSymbols.txt .ci/
COPY src/ src/
COPY config/ config/
RUN dotnet publish src/Digest.Worker/Digest.Worker.csproj -c Release -o /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS final
WORKDIR /app
COPY --from=build /app ./

# The image's non-root user (APP_UID) owns the data directory; SQLite lives there unless Storage says otherwise.
RUN mkdir /data && chown "$APP_UID" /data
VOLUME /data
# The web host (health, metrics, pages, chat endpoints) answers outside the container.
ENV DIGEST_Storage__ConnectionString="Data Source=/data/digest.db" \
    DIGEST_Web__Urls="http://0.0.0.0:8080" \
    DOTNET_CLI_TELEMETRY_OPTOUT=1
EXPOSE 8080
USER $APP_UID

ENTRYPOINT ["dotnet", "digest.dll"]
CMD ["run"]

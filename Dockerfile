# syntax=docker/dockerfile:1
# The Courier Capacity API: built with the .NET 10 SDK, run on the ASP.NET Core runtime as a
# non-root user. Configured by environment variables only (README.md, "Deploy").

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
# Restore from the project files alone, so a source change reuses the restored layer.
COPY global.json Directory.Build.props Directory.Packages.props ./
COPY src/Couriers.Core/Couriers.Core.csproj src/Couriers.Core/
COPY src/Couriers.Storage/Couriers.Storage.csproj src/Couriers.Storage/
COPY src/Couriers.Api/Couriers.Api.csproj src/Couriers.Api/
RUN dotnet restore src/Couriers.Api/Couriers.Api.csproj
COPY src/ src/
RUN dotnet publish src/Couriers.Api/Couriers.Api.csproj -c Release --no-restore -o /app -p:UseAppHost=false

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app
COPY --from=build /app ./
# The embedded SQLite store and the local operational log write under /app/data (mount a volume to keep them).
RUN mkdir -p /app/data && chown "$APP_UID" /app/data
# APP_UID (1654, user "app") is defined by the .NET images.
USER $APP_UID
ENV ASPNETCORE_URLS="http://+:3000;http://+:8000" \
    DOTNET_NOLOGO=1
EXPOSE 3000 8000
# The runtime image has no curl: the service probes its own /health/ready and exits 0 or 1.
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=3 CMD ["dotnet", "Couriers.Api.dll", "--healthcheck"]
ENTRYPOINT ["dotnet", "Couriers.Api.dll"]

# Booking Handoff in a container: the standalone build, run as a non-root user from a read-only app folder.
#   docker build -t booking-handoff .
#   docker run --env-file .env.production -p 3000:3000 booking-handoff
#   docker run --rm --env-file .env.production booking-handoff node scripts/db-migrate.cjs     # as the owner
#   docker run --rm -it --env-file .env.production booking-handoff node scripts/admin-user.cjs create --email you@example.com --role manager
# tests/http/standalone-server.http.test.ts runs what this image runs (the same folder, read-only, as nobody).

FROM node:20-bookworm-slim AS build
WORKDIR /src
ENV NEXT_TELEMETRY_DISABLED=1
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build:standalone

FROM node:20-bookworm-slim
ENV NODE_ENV=production NEXT_TELEMETRY_DISABLED=1 PORT=3000 HOSTNAME=0.0.0.0
WORKDIR /app
# Owned by root and not writable by the user the server runs as.
COPY --from=build --chown=root:root --chmod=a+rX,a-w /src/.next/standalone ./
USER node
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/api/health/ready').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# server.mjs: the TCP peer as the client's address (TRUSTED_PROXY=none) and request deadlines.
CMD ["node", "server.mjs"]

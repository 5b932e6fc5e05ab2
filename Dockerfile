# Gatehouse: one stateless process per container; run as many as you need against one PostgreSQL or
# MySQL database (docs/deploy.md). Build: docker build -t gatehouse .
# The server runs as one esbuild bundle (dist/server, docs/decisions/0008); it and the admin portal are built at install.
# Node 24, the current LTS (decision 0035): CI tests Node 20, the image builds and smoke-tests the bundle on 24.

FROM node:24-bookworm-slim AS build
WORKDIR /app
# better-sqlite3 compiles when no prebuilt binary matches; vite builds web/ in postinstall.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
COPY scripts ./scripts
COPY web ./web
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build:web && npm run build:server && npm prune --omit=dev --no-audit --no-fund
# Smoke test on this Node, with production dependencies only: the bundle loads, better-sqlite3's native module (built
# or downloaded for this Node's ABI by npm ci) opens a database, and every migration applies. A failure fails the build.
RUN set -e; d=$(mktemp -d); \
    NODE_ENV=production DATABASE_URL="sqlite:$d/smoke.db" EXTERNAL_URL=https://smoke.invalid \
    ENCRYPTION_KEY=$(node -e "process.stdout.write(require('node:crypto').randomBytes(32).toString('hex'))") \
    node dist/server/cli.mjs migrate; rm -rf "$d"
# The server's V8 code cache (decision 0060), made on this Node with the CMD's flags (SERVER_NODE_FLAGS): a container's
# first start already skips compiling the server, and nothing needs to be written at run time.
RUN node scripts/warm-code-cache.mjs

FROM node:24-bookworm-slim
# MALLOC_ARENA_MAX is SERVER_ENV (scripts/build-server.mjs): fewer glibc malloc arenas, a lower peak RSS.
ENV NODE_ENV=production \
    PORT=5225 \
    HOST=0.0.0.0 \
    MALLOC_ARENA_MAX=2
WORKDIR /app
COPY --from=build --chown=node:node /app/package.json /app/package-lock.json ./
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/src ./src
COPY --from=build --chown=node:node /app/bin ./bin
COPY --from=build --chown=node:node /app/scripts ./scripts
# dist/ stays root's: the V8 code cache made at build (scripts/warm-code-cache.mjs) is read, never rewritten, at run time.
COPY --from=build /app/dist ./dist
COPY --from=build --chown=node:node /app/tsconfig.json ./
USER node
EXPOSE 5225
# Liveness only; readiness (GET /api/ready, which checks the database) belongs to the orchestrator.
HEALTHCHECK --interval=10s --timeout=3s --retries=3 CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||5225)+'/api/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# Node is PID 1 and handles SIGTERM itself (src/main.ts: unready, drain, exit).
# The V8 memory flags are SERVER_NODE_FLAGS (scripts/build-server.mjs); raise --max-old-space-size for very large directories.
CMD ["node", "--max-old-space-size=256", "--max-semi-space-size=2", "dist/server/main.mjs"]

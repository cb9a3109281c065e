# One image for the API, the worker and the migrate job; compose picks the command.
# Stage 1 compiles the service (npm run build: dist/ and the prebuilt workflow bundle) with the
# dev dependencies; the image keeps only dist/ and the production dependencies, and runs plain node.
FROM node:24-bookworm-slim AS build

WORKDIR /app
COPY package.json package-lock.json ./
# No install scripts: the only one the project approves hydrates the embedded Postgres, which the
# build does not run.
RUN npm ci --ignore-scripts --no-audit --no-fund

COPY tsconfig.json tsconfig.build.json ./
COPY workflows ./workflows
COPY activities ./activities
COPY api ./api
COPY db ./db
COPY lib ./lib
COPY scripts ./scripts
# The bureau console's sources (Vite, React, Ant Design: dev dependencies, so built here).
COPY console ./console
# Compiles to dist/, copies the migrations, and bundles the workflow code once into dist/build/:
# a worker container then starts polling in about a second instead of bundling with webpack at
# every start (issue 12). Then builds the console into console/dist/.
RUN npm run build

FROM node:24-bookworm-slim

WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
# Production dependencies only: no tsx, no TypeScript, no embedded Postgres (a container is given
# DATABASE_URL), no pino-pretty (production logs JSON).
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
# Owned by root, read by `node`.
COPY --from=build /app/dist ./dist
# The console's static files, where api/routes/console.ts looks for them: console/dist beside the
# project's package.json.
COPY --from=build /app/console/dist ./console/dist

USER node
EXPOSE 3000
CMD ["node", "dist/scripts/api.js"]

# One image for the API, the worker and the migrate job; compose picks the command.
FROM node:20-bookworm-slim

WORKDIR /app
ENV NODE_ENV=production

COPY package.json package-lock.json ./
# No install scripts: the only one the project approves hydrates the embedded Postgres, which a
# container never runs (it is given DATABASE_URL).
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force

COPY tsconfig.json ./
COPY workflows ./workflows
COPY activities ./activities
COPY api ./api
COPY db ./db
COPY lib ./lib
COPY scripts ./scripts
# The workflow bundle, made once here: a worker container then starts polling in about a second
# instead of bundling with webpack at every start (issue 12). Owned by root, read by `node`.
RUN npm run build:workflows

USER node
EXPOSE 3000
CMD ["npm", "run", "api"]

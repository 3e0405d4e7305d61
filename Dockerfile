# syntax=docker/dockerfile:1
# Node 24 LTS (Node 20 reached end of life in April 2026), pinned by digest so a rebuild gets the
# same image: node:24-bookworm-slim as docker-library/repo-info recorded it (Node 24.18.1, index
# digest for amd64, arm64 and ppc64le). Move tag and digest together.
ARG NODE_IMAGE=node:24-bookworm-slim@sha256:235600a8101ab264e117b1768e925532262668dc9b581ef1dd7d96ced463b8e7

# Build stage: full dependencies, compile TypeScript to dist/.
FROM ${NODE_IMAGE} AS build
WORKDIR /app
ENV PUPPETEER_SKIP_DOWNLOAD=true
COPY package.json package-lock.json .npmrc .puppeteerrc.cjs ./
# Applied by the postinstall script (patch-package): see patches/README.md.
COPY patches ./patches
RUN npm ci
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY adapters ./adapters
COPY dialogs ./dialogs
RUN npm run build

# Runtime stage: production dependencies only, non-root, Chromium for WhatsApp Web.
FROM ${NODE_IMAGE}
WORKDIR /app
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3978 \
    PUPPETEER_SKIP_DOWNLOAD=true \
    PUPPETEER_EXECUTABLE_PATH=/usr/bin/chromium
RUN apt-get update \
 && apt-get install -y --no-install-recommends chromium fonts-noto-cjk ca-certificates \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json .npmrc .puppeteerrc.cjs ./
# Applied by the postinstall script (patch-package): see patches/README.md.
COPY patches ./patches
RUN npm ci --omit=dev && npm cache clean --force
COPY --from=build /app/dist ./dist
# Runtime files read from the project root: strings, content, the pages' static assets.
COPY locales ./locales
COPY knowledge ./knowledge
COPY config ./config
COPY adapters/kiosk/public ./adapters/kiosk/public
# Redis scripts are read from the source tree (src/state/lua-script.ts), not from dist/.
COPY adapters/kiosk/store/*.lua ./adapters/kiosk/store/
COPY src/state/scripts/*.lua ./src/state/scripts/
COPY src/handoff/scripts/*.lua ./src/handoff/scripts/
COPY src/agent/console ./src/agent/console
COPY src/agent/openapi.json ./src/agent/openapi.json
COPY src/analytics/public ./src/analytics/public
COPY src/http/public ./src/http/public
COPY src/nlu/data ./src/nlu/data
RUN mkdir -p /app/.data && chown node:node /app/.data
USER node
EXPOSE 3978
HEALTHCHECK --interval=30s --timeout=3s --start-period=20s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3978)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "dist/src/main.js"]

# phusong app image: Node 20, the built web front end, the TypeScript server run with tsx.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build:web

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund
COPY --from=build /app/dist ./dist
COPY server ./server
COPY migrations ./migrations
COPY scripts ./scripts
COPY data ./data
COPY tsconfig.json ./
USER node
EXPOSE 3000
CMD ["node_modules/.bin/tsx", "server/server.ts"]

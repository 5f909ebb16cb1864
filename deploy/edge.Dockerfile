# syntax=docker/dockerfile:1
# The Aftercare edge agent for a gateway:
#   docker build -f deploy/edge.Dockerfile -t aftercare-edge .
#   docker run -v /etc/aftercare/edge.yaml:/etc/aftercare/edge.yaml:ro -e MQTT_PASSWORD=... \
#     -v aftercare-edge:/var/lib/aftercare/edge --device /dev/ttyUSB0 aftercare-edge
# edge.yaml is the config /api/edges generated; its profile paths point at /opt/aftercare/profiles
# when the server runs with AFTERCARE_EDGE_PROFILES_DIR=/opt/aftercare/profiles.

FROM node:20-slim AS build
# The same path as at run time: the bundle's manifest records its inputs' paths, sizes and mtimes,
# and COPY --from keeps them, so bin/aftercare.js finds the bundle fresh and never rebuilds it.
WORKDIR /opt/aftercare
COPY package.json package-lock.json ./
# Production dependencies only: esbuild comes with tsx, and the native modules the bundle leaves
# outside (serialport, classic-level) are the ones the runtime loads.
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY tsconfig.json ./
COPY bin ./bin
COPY cli ./cli
COPY core ./core
COPY edge ./edge
COPY profiles ./profiles
# The prebuilt edge bundle (dist/edge/): no tsx at run time, ~50 MB less memory.
RUN node bin/bundle.js edge

FROM node:20-slim AS runtime
ENV NODE_ENV=production
COPY --from=build /opt/aftercare /opt/aftercare
RUN groupadd --system aftercare && useradd --system --gid aftercare --groups dialout \
    --home-dir /var/lib/aftercare aftercare \
  && mkdir -p /var/lib/aftercare/edge /etc/aftercare && chown -R aftercare:aftercare /var/lib/aftercare
USER aftercare
WORKDIR /var/lib/aftercare/edge
ENV AFTERCARE_EDGE_CONFIG=/etc/aftercare/edge.yaml AFTERCARE_EDGE_HEAP=auto
VOLUME ["/var/lib/aftercare/edge"]
ENTRYPOINT ["node", "/opt/aftercare/bin/aftercare.js", "edge"]

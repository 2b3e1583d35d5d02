# govbot's image: the wheel built in a first stage, installed on a slim Python base, run as
# a non-root user. `docker build -t govbot .` then see docs/admin-guide.md (Containers).
FROM python:3.11-slim AS wheel
WORKDIR /src
COPY . .
RUN pip install --no-cache-dir build && python -m build --wheel --outdir /dist

FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    GOVBOT_LOG_FORMAT=json \
    DATABASE_URL=sqlite:////var/lib/govbot/govbot.db
RUN useradd --system --uid 10001 --user-group --home-dir /var/lib/govbot --create-home govbot
COPY --from=wheel /dist/ /tmp/dist/
RUN pip install --no-cache-dir /tmp/dist/govbot-*.whl && rm -rf /tmp/dist
USER govbot
WORKDIR /var/lib/govbot
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:3000/healthz', timeout=4)"]
# Inside a container the server listens on every interface of the container's own network;
# publish the port on the host's loopback and put the TLS proxy in front (compose.yaml).
CMD ["govbot", "serve", "--http", "--host", "0.0.0.0", "--port", "3000"]

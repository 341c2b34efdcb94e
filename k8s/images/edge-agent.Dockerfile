# Edge agent image (plain Java), for k3s edge nodes. Build context: the repository root.
#   ./mvnw -pl edge-agent -am package -DskipTests -Dnative.classifier=linux-arm64      # or linux-x86_64
#   ./mvnw -pl edge-agent dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory=target/lib \
#          -Dnative.classifier=linux-arm64
#   docker buildx build --platform linux/arm64 -f k8s/images/edge-agent.Dockerfile -t edgefleet/edge-agent:0.1.0 .
# Build one image per architecture (the natives differ) and publish them under one multi-arch tag.
# Pin the base image by digest in your release pipeline.
FROM eclipse-temurin:17-jre-noble
RUN groupadd --system --gid 10001 edgefleet && useradd --system --uid 10001 --gid 10001 --home-dir /app edgefleet
WORKDIR /app
COPY --chown=10001:10001 edge-agent/target/lib/ /app/lib/
COPY --chown=10001:10001 edge-agent/target/edge-agent.jar /app/edge-agent.jar
USER 10001
# configuration: --config <properties file> plus EDGEFLEET_AGENT_* environment variables
ENTRYPOINT ["java", "-cp", "/app/edge-agent.jar:/app/lib/*", "io.edgefleet.agent.AgentMain"]

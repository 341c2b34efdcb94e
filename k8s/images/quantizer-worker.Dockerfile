# Quantizer worker image (plain Java). Build context: the repository root.
#   ./mvnw -pl quantizer-worker -am package -DskipTests
#   ./mvnw -pl quantizer-worker dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory=target/lib
#   docker build -f k8s/images/quantizer-worker.Dockerfile -t edgefleet/quantizer-worker:0.1.0 .
# The TFLite natives in target/lib are those of -Dnative.classifier (default linux-x86_64; linux-arm64 for arm64).
# Pin the base image by digest in your release pipeline.
FROM eclipse-temurin:17-jre-noble
RUN groupadd --system --gid 10001 edgefleet && useradd --system --uid 10001 --gid 10001 --home-dir /app edgefleet
WORKDIR /app
COPY --chown=10001:10001 quantizer-worker/target/lib/ /app/lib/
COPY --chown=10001:10001 quantizer-worker/target/quantizer-worker.jar /app/quantizer-worker.jar
USER 10001
# configuration: WORKER_* environment variables (see quantizer-worker/README.md)
ENTRYPOINT ["java", "-cp", "/app/quantizer-worker.jar:/app/lib/*", "io.edgefleet.worker.WorkerMain"]

# Control plane image (Quarkus fast-jar). Build context: the repository root.
#   ./mvnw -pl control-plane -am package -DskipTests
#   docker build -f k8s/images/control-plane.Dockerfile -t edgefleet/control-plane:0.1.0 .
# Pin the base image by digest in your release pipeline.
FROM eclipse-temurin:17-jre-noble
RUN groupadd --system --gid 185 edgefleet && useradd --system --uid 185 --gid 185 --home-dir /deployments edgefleet
WORKDIR /deployments
COPY --chown=185:185 control-plane/target/quarkus-app/lib/ /deployments/lib/
COPY --chown=185:185 control-plane/target/quarkus-app/*.jar /deployments/
COPY --chown=185:185 control-plane/target/quarkus-app/app/ /deployments/app/
COPY --chown=185:185 control-plane/target/quarkus-app/quarkus/ /deployments/quarkus/
USER 185
EXPOSE 8080
ENTRYPOINT ["java", "-Dquarkus.http.host=0.0.0.0", "-jar", "/deployments/quarkus-run.jar"]

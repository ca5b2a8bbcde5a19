# trainer-service: gRPC realitycheck.v1.TrainerService and the run consumers (TensorFlow on the CPU; the GPU build is trainer-service-gpu.Dockerfile).
# The Quarkus fast-jar (trainer-service/target/quarkus-app) on an Eclipse Temurin 25 JRE.
# Build context: the repository root, after packaging (deploy/docker/build does both):
#   ./mvnw -B -pl trainer-service -am package -DskipTests
#   docker build -f deploy/docker/trainer-service.Dockerfile -t realitycheck/trainer-service:0.1.0-SNAPSHOT .
FROM eclipse-temurin:25-jre-noble

# A numeric non-root user (Kubernetes' runAsNonRoot can only verify numeric ones) without a home:
# nothing in the image is writable by it except /work, and in Kubernetes the root filesystem is
# read-only, with emptyDirs on /tmp and /work.
RUN groupadd --system --gid 10001 realitycheck \
    && useradd --system --uid 10001 --gid 10001 --no-create-home --home-dir /nonexistent \
       --shell /usr/sbin/nologin realitycheck \
    && mkdir -p /work \
    && chown 10001:10001 /work

WORKDIR /deployments

# Quarkus fast-jar layout, the least often changed layer first. The TensorFlow native library is in
# lib/main (tensorflow-core-native-*-linux-x86_64.jar); JavaCPP unpacks it on first use into
# org.bytedeco.javacpp.cachedir, a directory under /tmp (0.65 GB).
COPY trainer-service/target/quarkus-app/lib/ /deployments/lib/
COPY trainer-service/target/quarkus-app/quarkus-run.jar /deployments/quarkus-run.jar
COPY trainer-service/target/quarkus-app/app/ /deployments/app/
COPY trainer-service/target/quarkus-app/quarkus/ /deployments/quarkus/

# TF_OVERRIDE_GLOBAL_THREADPOOL: each training session gets the intra-op threads of its settings
# (realitycheck.trainer.intra-op-threads), not those of the process's first TensorFlow session
# (docs/training.md, "Thread settings")
ENV LANG=C.UTF-8 \
    TF_CPP_MIN_LOG_LEVEL=1 \
    TF_OVERRIDE_GLOBAL_THREADPOOL=true

# gRPC, /q/health and /q/metrics share the HTTP port (quarkus.http.port in application.properties).
EXPOSE 8081

USER 10001:10001

# For plain Docker; Kubernetes ignores HEALTHCHECK and uses the chart's probes on the same endpoint.
# bash's /dev/tcp, so that the check needs no curl or wget in the image.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/8081 && printf 'GET /q/health/live HTTP/1.0\\r\\n\\r\\n' >&3 && head -n 1 <&3 | grep -q ' 200 '"]

# Extra JVM options go in JDK_JAVA_OPTIONS (the chart's <service>.javaOptions); settings in
# config/application.properties under /deployments (the chart mounts one) or environment variables.
ENTRYPOINT ["java", "--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", \
    "--sun-misc-unsafe-memory-access=allow", "-XX:MaxRAMPercentage=50", "-Djava.io.tmpdir=/tmp", \
    "-Dorg.bytedeco.javacpp.cachedir=/tmp/javacpp", \
    "-Djava.util.logging.manager=org.jboss.logmanager.LogManager", "-jar", "/deployments/quarkus-run.jar"]

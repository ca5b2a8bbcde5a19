# trainer-service, GPU build: TensorFlow's CUDA runtime (tensorflow-core-native linux-x86_64-gpu,
# TensorFlow 2.18, built for CUDA 12.5 / cuDNN 9) on NVIDIA's CUDA 12 + cuDNN 9 runtime image, with the
# Eclipse Temurin 25 JRE copied in. The node needs an NVIDIA driver for CUDA 12 and the device plugin.
# Build context: the repository root, after packaging WITH -Pgpu (deploy/docker/build --gpu does both):
#   ./mvnw -B -Pgpu -pl trainer-service -am package -DskipTests
#   docker build -f deploy/docker/trainer-service-gpu.Dockerfile -t realitycheck/trainer-service-gpu:0.1.0-SNAPSHOT .
FROM eclipse-temurin:25-jre-noble AS jre

FROM nvidia/cuda:12.6.3-cudnn-runtime-ubuntu24.04

# Temurin's JRE is self-contained (no packages needed beyond glibc and the CA bundle of the base).
COPY --from=jre /opt/java/openjdk /opt/java/openjdk
ENV JAVA_HOME=/opt/java/openjdk \
    PATH=/opt/java/openjdk/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

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
# lib/main (tensorflow-core-native-*-linux-x86_64-gpu.jar); JavaCPP unpacks it on first use into
# org.bytedeco.javacpp.cachedir, a directory under /tmp (about 1.3 GB for the GPU build).
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

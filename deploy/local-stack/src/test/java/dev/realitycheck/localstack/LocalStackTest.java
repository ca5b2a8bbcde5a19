package dev.realitycheck.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link LocalStack} on its own broker (no services: they are run together in the e2e module):
 * the broker's pid file, log and marker while it runs, nothing left and no pid file after close;
 * a missing service jar or a taken port fails before anything starts, saying what to do; the
 * module opens of a service jar's manifest reach its command line.
 */
class LocalStackTest {

    private static final Path ROOT = Path.of(System.getProperty("realitycheck.repository-root", "../.."));

    @TempDir
    Path dir;

    @Test
    void itsOwnBrokerIsRecordedWhileRunningAndGoneAfterClose() throws Exception {
        LocalStack stack = LocalStack.builder(ROOT).runDirectory(dir.resolve("run")).freePorts().services().build();
        List<ProcessHandle> processes;
        try {
            stack.start();
            processes = stack.startedProcesses();
            assertThat(processes).singleElement().matches(ProcessHandle::isAlive);
            ProcessHandle broker = processes.getFirst();
            Path pidFile = stack.runDirectory().pidFile(LocalStack.KAFKA);
            assertThat(Files.readString(pidFile, StandardCharsets.US_ASCII).strip()).isEqualTo(Long.toString(broker.pid()));
            assertThat(broker.info().arguments().orElseThrow()).contains(stack.runDirectory().marker());
            assertThat(stack.runDirectory().log(LocalStack.KAFKA)).isNotEmptyFile();
            assertThat(stack.bootstrapServers()).startsWith("127.0.0.1:");
        } finally {
            stack.close();
        }
        assertThat(processes).noneMatch(ProcessHandle::isAlive);
        assertThat(stack.runDirectory().pidFile(LocalStack.KAFKA)).doesNotExist();
    }

    @Test
    void theJarsManifestOpensBecomeFlagsSinceServicesRunWithClasspathNotDashJar() throws Exception {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().putValue("Add-Opens", "java.base/java.lang java.base/java.nio");
        manifest.getMainAttributes().putValue("Add-Exports", "java.base/jdk.internal.misc");
        Path jar = dir.resolve("quarkus-run.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest)) {
            out.flush();
        }

        assertThat(LocalStack.manifestFlags(jar)).containsExactly("--add-opens=java.base/java.lang=ALL-UNNAMED",
                "--add-opens=java.base/java.nio=ALL-UNNAMED", "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED");
    }

    @Test
    void aMissingServiceJarFailsBeforeAnythingStartsAndSaysHowToBuildIt() {
        LocalStack stack = LocalStack.builder(dir).runDirectory(dir.resolve("run")).freePorts().build();

        assertThatThrownBy(stack::start).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("trainer-service/target/quarkus-app/quarkus-run.jar is missing")
                .hasMessageContaining("-am package -DskipTests");
        assertThat(stack.startedProcesses()).isEmpty();
    }

    @Test
    void aTakenPortFailsBeforeAnythingStartsAndNamesTheService() throws Exception {
        for (StackService s : StackService.values()) {
            Path jar = s.runnerJar(dir);
            Files.createDirectories(jar.getParent());
            Files.writeString(jar, "not started");
        }
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            LocalStack stack = LocalStack.builder(dir).runDirectory(dir.resolve("run")).freePorts()
                    .port(StackService.EVALUATION, taken.getLocalPort()).build();

            assertThatThrownBy(stack::start).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("port " + taken.getLocalPort() + " for evaluation-service is taken");
            assertThat(stack.startedProcesses()).isEmpty();
        }
    }

    @Test
    void onlyTheTrainerGetsItsOwnIntraOpPoolAndSetValuesAreKept() {
        java.util.Map<String, String> trainer = new java.util.HashMap<>(java.util.Map.of("JDK_JAVA_OPTIONS", "-Xmx1g"));
        LocalStack.serviceEnvironment(StackService.TRAINER, trainer);
        assertThat(trainer).containsEntry("TF_OVERRIDE_GLOBAL_THREADPOOL", "true")
                .containsEntry("TF_CPP_MIN_LOG_LEVEL", "1").doesNotContainKey("JDK_JAVA_OPTIONS");

        java.util.Map<String, String> evaluation = new java.util.HashMap<>();
        LocalStack.serviceEnvironment(StackService.EVALUATION, evaluation);
        assertThat(evaluation).doesNotContainKey("TF_OVERRIDE_GLOBAL_THREADPOOL");

        java.util.Map<String, String> chosen = new java.util.HashMap<>(java.util.Map.of("TF_OVERRIDE_GLOBAL_THREADPOOL", "false"));
        LocalStack.serviceEnvironment(StackService.TRAINER, chosen);
        assertThat(chosen).containsEntry("TF_OVERRIDE_GLOBAL_THREADPOOL", "false");
    }
}

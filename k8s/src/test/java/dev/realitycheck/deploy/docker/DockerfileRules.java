package dev.realitycheck.deploy.docker;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;

/**
 * The rules every service image follows (hadolint is not available here; these are the checks
 * that matter for these images, each problem naming the file and line):
 * <ul>
 *   <li>every base image is pinned: a tag other than {@code latest}, or a digest;</li>
 *   <li>the final stage runs as a numeric, non-root {@code USER} (Kubernetes' runAsNonRoot
 *       can only verify numeric users);</li>
 *   <li>no {@code ADD} of URLs or git repositories (unverified downloads);</li>
 *   <li>local {@code COPY} sources are the service's Quarkus fast-jar
 *       ({@code <service>/target/quarkus-app/{lib/,app/,quarkus/,quarkus-run.jar}}), all four,
 *       and exist when the service has been packaged;</li>
 *   <li>{@code EXPOSE} is the service's {@code quarkus.http.port};</li>
 *   <li>a {@code HEALTHCHECK CMD} exists;</li>
 *   <li>{@code ENTRYPOINT} (and any {@code CMD}) is in exec form, runs {@code quarkus-run.jar}
 *       and points {@code java.io.tmpdir} and JavaCPP's cache (TensorFlow's native library) at
 *       {@code /tmp}, the writable emptyDir under a read-only root filesystem.</li>
 * </ul>
 */
public final class DockerfileRules {

    /** The Quarkus fast-jar layout under target/quarkus-app. */
    static final List<String> FAST_JAR = List.of("lib/", "app/", "quarkus/", "quarkus-run.jar");

    private DockerfileRules() {
    }

    /** The problems of {@code dockerfile}, an image of {@code service} (a module directory under {@code repo}). */
    public static List<String> problems(Dockerfile dockerfile, Path repo, String service) throws IOException {
        List<String> problems = new ArrayList<>();
        String file = repo.relativize(dockerfile.path().toAbsolutePath()).toString();
        Set<String> stages = new HashSet<>();
        for (DockerInstruction from : dockerfile.all("FROM")) {
            List<String> words = from.words();
            String image = words.isEmpty() ? "" : words.getFirst();
            if (!stages.contains(image)) {
                pinned(image).ifPresent(p -> problems.add(file + ":" + from.line() + ": base image " + p));
            }
            if (words.size() == 3 && words.get(1).equalsIgnoreCase("AS")) {
                stages.add(words.get(2));
            }
        }
        if (dockerfile.all("FROM").isEmpty()) {
            problems.add(file + ": no FROM");
        }
        List<DockerInstruction> finalStage = dockerfile.finalStage();
        List<DockerInstruction> users = finalStage.stream().filter(i -> i.keyword().equals("USER")).toList();
        if (users.isEmpty()) {
            problems.add(file + ": the final stage has no USER, so it runs as root");
        } else {
            DockerInstruction user = users.getLast();
            String uid = user.words().isEmpty() ? "" : user.words().getFirst().split(":")[0];
            if (!uid.matches("\\d+")) {
                problems.add(file + ":" + user.line() + ": USER '" + user.arguments() + "' is not numeric (runAsNonRoot cannot verify it)");
            } else if (Long.parseLong(uid) == 0) {
                problems.add(file + ":" + user.line() + ": USER is root");
            }
        }
        for (DockerInstruction add : dockerfile.all("ADD")) {
            for (String source : sources(add)) {
                if (source.matches("(?i)^(https?|git)://.*") || source.startsWith("git@")) {
                    problems.add(file + ":" + add.line() + ": ADD of a remote source " + source + " (download it in a verified step instead)");
                }
            }
        }
        checkCopies(dockerfile, repo, service, file, problems);
        checkExpose(finalStage, repo, service, file, problems);
        boolean healthcheck = finalStage.stream().anyMatch(i -> i.keyword().equals("HEALTHCHECK")
                && i.withoutFlags().toUpperCase().startsWith("CMD"));
        if (!healthcheck) {
            problems.add(file + ": no HEALTHCHECK CMD");
        }
        checkEntrypoint(finalStage, file, problems);
        return problems;
    }

    /** Why {@code image} is not pinned, if it is not. */
    static Optional<String> pinned(String image) {
        if (image.isEmpty() || image.contains("$")) {
            return Optional.of("'" + image + "' is not a literal image reference");
        }
        if (image.contains("@sha256:")) {
            return Optional.empty();
        }
        int slash = image.lastIndexOf('/');
        int colon = image.lastIndexOf(':');
        if (colon < slash + 1) {
            return Optional.of("'" + image + "' has no tag (means latest)");
        }
        if (image.substring(colon + 1).equals("latest")) {
            return Optional.of("'" + image + "' uses the tag latest");
        }
        return Optional.empty();
    }

    private static List<String> sources(DockerInstruction copyOrAdd) {
        List<String> words = copyOrAdd.execForm().orElse(copyOrAdd.words());
        return words.size() < 2 ? List.of() : words.subList(0, words.size() - 1);
    }

    private static void checkCopies(Dockerfile dockerfile, Path repo, String service, String file, List<String> problems) {
        String layout = service + "/target/quarkus-app/";
        Path packaged = repo.resolve(layout);
        Set<String> copied = new HashSet<>();
        for (DockerInstruction copy : dockerfile.all("COPY")) {
            if (copy.flags().containsKey("from")) {
                continue; // from another stage or image, not the build context
            }
            for (String source : sources(copy)) {
                if (!source.startsWith(layout) || !FAST_JAR.contains(source.substring(layout.length()))) {
                    problems.add(file + ":" + copy.line() + ": COPY " + source + " is not part of " + layout + " " + FAST_JAR);
                    continue;
                }
                copied.add(source.substring(layout.length()));
                if (Files.isDirectory(packaged) && !Files.exists(repo.resolve(source))) {
                    problems.add(file + ":" + copy.line() + ": COPY " + source + " does not exist in the packaged service");
                }
            }
        }
        if (!copied.containsAll(FAST_JAR)) {
            List<String> missing = FAST_JAR.stream().filter(p -> !copied.contains(p)).toList();
            problems.add(file + ": the image lacks " + missing + " of " + layout);
        }
        if (!Files.isRegularFile(repo.resolve(service).resolve("pom.xml"))) {
            problems.add(file + ": no Maven module " + service + " to package");
        }
    }

    private static void checkExpose(List<DockerInstruction> stage, Path repo, String service, String file, List<String> problems)
            throws IOException {
        Properties properties = new Properties();
        Path path = repo.resolve(service).resolve("src/main/resources/application.properties");
        try (Reader reader = Files.newBufferedReader(path)) {
            properties.load(reader);
        }
        String port = properties.getProperty("quarkus.http.port", "8080");
        List<String> exposed = stage.stream().filter(i -> i.keyword().equals("EXPOSE"))
                .flatMap(i -> i.words().stream()).map(p -> p.replace("/tcp", "")).toList();
        if (!exposed.equals(List.of(port))) {
            problems.add(file + ": EXPOSE " + exposed + " but " + service + " listens on quarkus.http.port=" + port);
        }
    }

    private static void checkEntrypoint(List<DockerInstruction> stage, String file, List<String> problems) {
        List<DockerInstruction> entrypoints = stage.stream().filter(i -> i.keyword().equals("ENTRYPOINT")).toList();
        if (entrypoints.isEmpty()) {
            problems.add(file + ": no ENTRYPOINT");
            return;
        }
        DockerInstruction entrypoint = entrypoints.getLast();
        Optional<List<String>> exec = entrypoint.execForm();
        if (exec.isEmpty()) {
            problems.add(file + ":" + entrypoint.line() + ": ENTRYPOINT is in shell form (signals would go to /bin/sh, not the JVM)");
            return;
        }
        List<String> args = exec.get();
        String joined = String.join(" ", args);
        if (!joined.contains("-jar /deployments/quarkus-run.jar")) {
            problems.add(file + ":" + entrypoint.line() + ": ENTRYPOINT does not run -jar /deployments/quarkus-run.jar");
        }
        if (!args.contains("-Djava.io.tmpdir=/tmp")) {
            problems.add(file + ":" + entrypoint.line() + ": ENTRYPOINT does not set -Djava.io.tmpdir=/tmp");
        }
        if (args.stream().noneMatch(a -> a.startsWith("-Dorg.bytedeco.javacpp.cachedir=/tmp/"))) {
            problems.add(file + ":" + entrypoint.line() + ": ENTRYPOINT does not put JavaCPP's cache (TensorFlow's native library) under /tmp");
        }
        for (DockerInstruction cmd : stage.stream().filter(i -> i.keyword().equals("CMD")).toList()) {
            if (cmd.execForm().isEmpty()) {
                problems.add(file + ":" + cmd.line() + ": CMD is in shell form");
            }
        }
    }
}

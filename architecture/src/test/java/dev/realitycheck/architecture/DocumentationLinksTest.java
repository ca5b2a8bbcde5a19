package dev.realitycheck.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The documentation names only things that exist: every link, repository path and project type
 * name in {@code README.md} and {@code docs/**}{@code /*.md} is checked against the repository on
 * disk, so a renamed class, a moved file or a deleted heading fails the build instead of leaving a
 * dead reference behind.
 *
 * <p>The repository root is the system property {@code realitycheck.repository.root} (the module's
 * surefire configuration sets it to {@code ${project.basedir}/..}); without it, the nearest
 * directory at or above the working directory that holds {@code README.md}, {@code docs/} and
 * {@code pom.xml}. The rules, applied to each file:
 *
 * <ol>
 *   <li><b>Fenced code blocks</b> (lines between two fences of three or more {@code `} or
 *       {@code ~}) are skipped entirely: nothing in them is checked, and {@code #} lines in them are
 *       no headings.</li>
 *   <li><b>Links.</b> The target of every inline link or image ({@code [text](target)},
 *       {@code ![alt](target "title")}) and every reference definition ({@code [id]: target}) outside
 *       code spans. Targets with a URL scheme ({@code https:}, {@code mailto:}) or starting with
 *       {@code //} are external and not checked. Otherwise the part before {@code #}
 *       (percent-decoded) is resolved against the linking file's directory (against the
 *       repository root when it starts with {@code /}); it must stay inside the repository and
 *       exist (file or directory). An anchor ({@code #part}) on a {@code .md} target, or on an empty
 *       path (the same file), must equal the anchor GitHub gives one of that file's ATX headings
 *       ({@code #} to {@code ######}): the heading text with links reduced to their text and
 *       backticks removed, lower-cased, every character that is not a letter, digit, mark,
 *       connector punctuation ({@code _}), {@code -} or space dropped, each space turned into
 *       {@code -}; the second heading with the same anchor gets {@code -1}, the third {@code -2}.
 *       Anchors on other files (source line anchors) are not checked.</li>
 *   <li><b>Repository paths.</b> Every code span ({@code `...`}, any number of backticks, not
 *       crossing a blank line) is split at whitespace into words; leading {@code ( " '} and trailing
 *       {@code ) " ' , ; :} are dropped and a leading {@code ./} is removed. A word is a repository
 *       path when its first {@code /}-separated segment is an entry of the repository root (other
 *       than {@code .git} and names the root {@code .gitignore} ignores, such as {@code target} and
 *       {@code .run}), and it contains a {@code /} or names a root file ({@code pom.xml}). Its
 *       segments are taken up to the first empty one or the first that holds a placeholder or glob
 *       character ({@code * ? < > { } [ ] $ |} or {@code ...}), and that prefix must exist. A path
 *       with a segment the root {@code .gitignore} ignores ({@code deploy/kafka-broker/target/...})
 *       names a build or run output and is not checked. A word starting with {@code ../} is always
 *       a problem: the documentation cites nothing outside the repository.</li>
 *   <li><b>Type names.</b> A code span whose whole content is a type reference: an identifier
 *       that starts with an upper-case letter and contains a lower-case one ({@code Topics},
 *       {@code LocalKafkaBroker}; not {@code SHA} or {@code R}), followed only by member accesses
 *       and argument lists without nested parentheses ({@code ExactKnn.search},
 *       {@code Topics.ALL}, {@code TrainingRun.resume(...)}). Not a type reference when it has a
 *       member and ends in a file extension ({@code Chart.yaml}). The identifier must be declared
 *       in the project: a {@code class}, {@code record}, {@code interface}, {@code enum} or
 *       {@code @interface} of that simple name in a {@code .java} file under any directory named
 *       {@code src} (comments and literals ignored), or a {@code message}, {@code enum},
 *       {@code service} or {@code rpc} of a {@code .proto} file under {@code src} (and
 *       {@code <Service>Grpc}, the class grpc-java generates for a service), or be in
 *       {@link #ALLOWED_NON_PROJECT_TYPES}. A span that is a qualified name in
 *       {@code dev.realitycheck} ({@code dev.realitycheck.transport.Topics},
 *       {@code dev.realitycheck.data.glyphs}) must name a type declared in exactly that package, or
 *       a declared package when it has no type part. Other qualified names
 *       ({@code org.apache.kafka.clients.consumer.KafkaConsumer}) are external and not
 *       checked: that is how the documentation names a class that is not the project's.</li>
 * </ol>
 */
class DocumentationLinksTest {

    /**
     * Backticked names that look like types but are no project type. Keep it short: write an
     * external class qualified ({@code org.apache...}) or without backticks instead.
     */
    static final Set<String> ALLOWED_NON_PROJECT_TYPES = Set.of();

    @Test
    void everyLinkPathAndTypeNameInTheDocumentationExists() throws IOException {
        Path root = repositoryRoot();
        DocumentationChecker checker = DocumentationChecker.forRepository(root, ALLOWED_NON_PROJECT_TYPES);
        List<Path> files = documentationFiles(root);
        assertThat(files).as("the documentation files").contains(root.resolve("README.md"))
                .anyMatch(f -> f.startsWith(root.resolve("docs")));
        assertThat(checker.rootEntries()).as("top-level entries that can start a repository path")
                .contains("bin", "docs", "pom.xml", "README.md").doesNotContain(".git", "target", ".run");
        assertThat(checker.projectTypes()).as("types found by scanning the sources")
                .contains("DocumentationChecker", "EmbeddingService", "EmbeddingServiceGrpc");

        List<String> problems = new ArrayList<>();
        for (Path file : files) {
            problems.addAll(checker.check(file));
        }
        assertThat(problems).as("dead links, paths or type names in the documentation").isEmpty();
    }

    @Test
    void theCheckerCatchesABrokenLinkAMissingPathAndAnUnknownType() {
        Path root = repositoryRoot();
        DocumentationChecker checker = DocumentationChecker.forRepository(root, Set.of("KafkaConsumer"));
        String markdown = """
                # Self test

                ## A heading, with `code` and punctuation!

                [fine](../README.md), [fine](../bin/), [fine](#a-heading-with-code-and-punctuation),
                [external](https://example.org/nowhere.md), `bin/test`, `./mvnw -B verify`, `pom.xml`,
                `DocumentationChecker`, `DocumentationChecker.check(file)`, `KafkaConsumer`, `Chart.yaml`,
                `dev.realitycheck.architecture`, `org.apache.kafka.clients.consumer.MockConsumer`,
                `SHA`, `docs`, `architecture/target/classes`, `docs/<name>.md`.

                A [broken link](no-such-file.md) and a [broken anchor](../README.md#no-such-heading),
                a [link out of the repository](../../elsewhere/DESIGN.md), a missing path `bin/no-such-script`,
                an unknown type `NoSuchTypeAnywhere`, one in a package `dev.realitycheck.architecture.Missing`.

                ```bash
                [not a link](nothing.md) `NotCheckedInAFence` bin/not-checked-either
                ```
                """;

        List<String> problems = checker.check(root.resolve("docs/self-test.md"), markdown);

        assertThat(problems).containsExactly(
                "docs/self-test.md:11: link (no-such-file.md): no such file or directory: docs/no-such-file.md",
                "docs/self-test.md:11: link (../README.md#no-such-heading): no heading with anchor #no-such-heading in README.md",
                "docs/self-test.md:12: link (../../elsewhere/DESIGN.md): points outside the repository",
                "docs/self-test.md:12: `bin/no-such-script`: no such file or directory: bin/no-such-script",
                "docs/self-test.md:13: `NoSuchTypeAnywhere`: no type NoSuchTypeAnywhere is declared in the project"
                        + " (a .java file under a src directory, or a .proto)",
                "docs/self-test.md:13: `dev.realitycheck.architecture.Missing`: no type Missing in package"
                        + " dev.realitycheck.architecture");
    }

    @Test
    void anchorsFollowGitHubsRules() {
        assertThat(DocumentationChecker.slug("The glyph dataset: a built-in many-class dataset (`glyphs`)"))
                .isEqualTo("the-glyph-dataset-a-built-in-many-class-dataset-glyphs");
        assertThat(DocumentationChecker.slug("Validation, early stopping and the chosen checkpoint"))
                .isEqualTo("validation-early-stopping-and-the-chosen-checkpoint");
        assertThat(DocumentationChecker.slug("`bin/realitycheck evaluate`: metrics for your own embeddings"))
                .isEqualTo("binrealitycheck-evaluate-metrics-for-your-own-embeddings");
        assertThat(DocumentationChecker.slug("The paper's Figure 1: P@1 saturates, MAP@R does not"))
                .isEqualTo("the-papers-figure-1-p1-saturates-mapr-does-not");
        assertThat(DocumentationChecker.slug("Using [the chart](k8s/realitycheck) with `freeze_batch_norm`"))
                .isEqualTo("using-the-chart-with-freeze_batch_norm");

        DocumentationChecker.Document doc = DocumentationChecker.Document.parse("""
                # Twice
                ## Twice
                ```
                # Twice
                ```
                ### Twice
                """);
        assertThat(doc.anchors()).containsExactlyInAnyOrder("twice", "twice-1", "twice-2");
    }

    static List<Path> documentationFiles(Path root) throws IOException {
        List<Path> files = new ArrayList<>();
        files.add(root.resolve("README.md"));
        try (Stream<Path> docs = Files.walk(root.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(files::add);
        }
        return files;
    }

    static Path repositoryRoot() {
        String configured = System.getProperty("realitycheck.repository.root");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured).toAbsolutePath().normalize();
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("README.md")) && Files.isDirectory(dir.resolve("docs"))
                    && Files.isRegularFile(dir.resolve("pom.xml"))) {
                return dir.normalize();
            }
        }
        throw new IllegalStateException("repository root not found: set -Drealitycheck.repository.root");
    }
}

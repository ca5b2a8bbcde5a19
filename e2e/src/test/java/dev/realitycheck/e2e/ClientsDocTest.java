package dev.realitycheck.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docs/clients.md's recipes are the code that {@link PipelineEndToEndTest} runs: each fenced block
 * after a {@code <!-- verbatim: PATH -->} line must appear in that file, line for line (indentation
 * and blank lines aside), so the doc cannot drift from what is tested.
 */
class ClientsDocTest {

    private static final Pattern VERBATIM = Pattern.compile("<!-- verbatim: (\\S+) -->\\n```\\w*\\n(.*?)\\n```", Pattern.DOTALL);

    @Test
    void everyRecipeBlockIsTheTestedCodeLineForLine() throws IOException {
        Path root = Path.of(System.getProperty("realitycheck.repository-root", "..")).toAbsolutePath().normalize();
        String doc = Files.readString(root.resolve("docs/clients.md"));
        Matcher m = VERBATIM.matcher(doc);
        List<String> checked = new ArrayList<>();
        while (m.find()) {
            Path file = root.resolve(m.group(1));
            assertThat(file).as("the file a verbatim block names").isRegularFile();
            List<String> block = normalised(m.group(2));
            List<String> code = normalised(Files.readString(file));
            assertThat(Collections.indexOfSubList(code, block))
                    .as("docs/clients.md's block from %s is not in that file:%n%s", m.group(1), m.group(2))
                    .isNotNegative();
            checked.add(m.group(1));
        }
        assertThat(checked).as("Python, Node, Java (gRPC and Kafka) and kcat recipes").containsExactlyInAnyOrder(
                "clients/python/example.py", "clients/node/recipe.js",
                "e2e/src/test/java/dev/realitycheck/e2e/JavaClientRecipe.java",
                "e2e/src/test/java/dev/realitycheck/e2e/JavaClientRecipe.java", "clients/kcat/decode-evaluations");
    }

    /** Lines without their indentation; blank lines left out; a closing brace the doc adds to close its excerpt is dropped. */
    private static List<String> normalised(String text) {
        List<String> lines = new ArrayList<>(text.lines().map(String::strip).filter(l -> !l.isEmpty()).toList());
        if (!lines.isEmpty() && (lines.getLast().equals("}") || lines.getLast().equals("done"))) {
            lines.removeLast();
        }
        return lines;
    }
}

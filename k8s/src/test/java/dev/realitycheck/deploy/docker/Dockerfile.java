package dev.realitycheck.deploy.docker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A parsed Dockerfile: its instructions in order, with comments dropped and continuation lines
 * joined, as BuildKit reads them (default escape character {@code \} only; a file that changes it
 * with an {@code # escape=} directive is refused rather than misread).
 */
public record Dockerfile(Path path, List<DockerInstruction> instructions) {

    private static final Pattern DIRECTIVE = Pattern.compile("^#\\s*([a-zA-Z]+)\\s*=\\s*(\\S+)\\s*$");

    public Dockerfile {
        instructions = List.copyOf(instructions);
    }

    public static Dockerfile parse(Path path) throws IOException {
        return parse(path, Files.readString(path));
    }

    public static Dockerfile parse(Path path, String text) {
        List<String> lines = text.lines().toList();
        List<DockerInstruction> instructions = new ArrayList<>();
        boolean directives = true;
        StringBuilder pending = null;
        int start = 0;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            String trimmed = line.strip();
            if (directives) {
                var m = DIRECTIVE.matcher(trimmed);
                if (m.matches()) {
                    if (m.group(1).equalsIgnoreCase("escape") && !m.group(2).equals("\\")) {
                        throw new IllegalArgumentException(path + ":" + (i + 1) + ": escape directive '" + m.group(2) + "' is not supported");
                    }
                    continue;
                }
                directives = false;
            }
            if (trimmed.startsWith("#") || (trimmed.isEmpty() && pending == null)) {
                continue; // comment lines are dropped, even inside a continuation
            }
            if (pending == null) {
                pending = new StringBuilder();
                start = i + 1;
            }
            boolean continues = trimmed.endsWith("\\");
            pending.append(continues ? trimmed.substring(0, trimmed.length() - 1).stripTrailing() + " " : trimmed);
            if (!continues) {
                instructions.add(instruction(path, start, pending.toString().strip()));
                pending = null;
            }
        }
        if (pending != null) {
            throw new IllegalArgumentException(path + ":" + start + ": the last instruction ends with a line continuation");
        }
        return new Dockerfile(path, instructions);
    }

    private static DockerInstruction instruction(Path path, int line, String text) {
        int space = text.indexOf(' ');
        String keyword = (space < 0 ? text : text.substring(0, space)).toUpperCase(Locale.ROOT);
        if (!keyword.matches("[A-Z]+")) {
            throw new IllegalArgumentException(path + ":" + line + ": not an instruction: " + text);
        }
        return new DockerInstruction(keyword, space < 0 ? "" : text.substring(space + 1).strip(), line);
    }

    /** The instructions with this keyword, in order. */
    public List<DockerInstruction> all(String keyword) {
        return instructions.stream().filter(i -> i.keyword().equals(keyword)).toList();
    }

    /** The instructions of the final build stage (after the last FROM). */
    public List<DockerInstruction> finalStage() {
        int last = 0;
        for (int i = 0; i < instructions.size(); i++) {
            if (instructions.get(i).keyword().equals("FROM")) {
                last = i;
            }
        }
        return instructions.subList(last, instructions.size());
    }
}

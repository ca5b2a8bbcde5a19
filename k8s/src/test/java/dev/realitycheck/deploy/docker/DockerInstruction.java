package dev.realitycheck.deploy.docker;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One Dockerfile instruction: the keyword (upper case), its arguments with continuations joined,
 * and the line it starts on.
 */
public record DockerInstruction(String keyword, String arguments, int line) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The JSON-array ("exec") form's elements, if the arguments are one; empty for the shell form. */
    public Optional<List<String>> execForm() {
        String body = withoutFlags().strip();
        if (keyword.equals("HEALTHCHECK")) {
            if (!body.startsWith("CMD ")) {
                return Optional.empty();
            }
            body = body.substring(4).strip();
        }
        if (!body.startsWith("[")) {
            return Optional.empty();
        }
        try {
            String[] items = JSON.readValue(body, String[].class);
            return Optional.of(List.of(items));
        } catch (JsonProcessingException e) {
            return Optional.empty(); // Docker runs an unparseable array as a shell command
        }
    }

    /** The leading {@code --name=value} flags (COPY --from, HEALTHCHECK --interval, FROM --platform...). */
    public Map<String, String> flags() {
        Map<String, String> flags = new LinkedHashMap<>();
        for (String token : arguments.split("\\s+")) {
            if (!token.startsWith("--")) {
                break;
            }
            int eq = token.indexOf('=');
            flags.put(eq < 0 ? token.substring(2) : token.substring(2, eq), eq < 0 ? "" : token.substring(eq + 1));
        }
        return flags;
    }

    /** The arguments without the leading flags. */
    public String withoutFlags() {
        String rest = arguments;
        while (rest.startsWith("--")) {
            int space = rest.indexOf(' ');
            rest = space < 0 ? "" : rest.substring(space + 1).stripLeading();
        }
        return rest;
    }

    /** Whitespace-separated words after the flags (COPY/ADD sources and destination, EXPOSE ports). */
    public List<String> words() {
        List<String> words = new ArrayList<>();
        for (String w : withoutFlags().split("\\s+")) {
            if (!w.isEmpty()) {
                words.add(w);
            }
        }
        return words;
    }

    @Override
    public String toString() {
        return "line " + line + ": " + keyword + " " + arguments;
    }
}

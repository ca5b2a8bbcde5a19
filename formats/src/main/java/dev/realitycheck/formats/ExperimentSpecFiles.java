package dev.realitycheck.formats;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import dev.realitycheck.proto.v1.ExperimentSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Experiment specs as files: {@code .yaml}/{@code .yml} (read into a JSON tree with Jackson's YAML
 * parser) or {@code .json}, both in the protobuf JSON mapping of {@code ExperimentSpec} (field
 * names as in the .proto or lowerCamelCase, enums by name, maps as objects). Unknown fields are
 * errors, so a typo does not silently fall back to a default.
 */
public final class ExperimentSpecFiles {

    private static final YAMLMapper YAML = new YAMLMapper();
    private static final ObjectMapper JSON = new ObjectMapper();

    private ExperimentSpecFiles() {
    }

    /**
     * Reads a spec file; the format follows the file name's extension (YAML unless it ends in {@code .json}).
     *
     * @throws IOException if the file cannot be read
     * @throws IllegalArgumentException naming the file and the problem if it is not a valid spec
     */
    public static ExperimentSpec read(Path file) throws IOException {
        String text = Files.readString(file);
        boolean json = file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".json");
        try {
            return json ? parseJson(text) : parseYaml(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    /** Parses a spec in YAML. */
    public static ExperimentSpec parseYaml(String yaml) {
        JsonNode tree;
        try {
            tree = YAML.readTree(yaml);
        } catch (IOException e) {
            throw new IllegalArgumentException("not YAML: " + e.getMessage(), e);
        }
        if (tree == null || !tree.isObject()) {
            throw new IllegalArgumentException("not an ExperimentSpec: the document must be a mapping");
        }
        try {
            return parseJson(JSON.writeValueAsString(tree));
        } catch (IOException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** Parses a spec in protobuf JSON. */
    public static ExperimentSpec parseJson(String json) {
        ExperimentSpec.Builder b = ExperimentSpec.newBuilder();
        try {
            JsonFormat.parser().merge(json, b);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException("not an ExperimentSpec: " + e.getMessage(), e);
        }
        return b.build();
    }
}

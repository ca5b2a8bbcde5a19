package dev.realitycheck.deploy.chart;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;

/** The objects of a rendered multi-document manifest, with look-ups by kind and name. */
record RenderedObjects(List<JsonNode> all) {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    static RenderedObjects parse(String manifest) {
        List<JsonNode> objects = new ArrayList<>();
        try (MappingIterator<JsonNode> docs = YAML.readerFor(JsonNode.class).readValues(manifest)) {
            while (docs.hasNext()) {
                JsonNode doc = docs.next();
                if (doc != null && !doc.isNull() && !doc.isMissingNode() && !doc.isEmpty()) {
                    objects.add(doc);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("rendered manifest is not YAML", e);
        }
        return new RenderedObjects(List.copyOf(objects));
    }

    List<JsonNode> ofKind(String kind) {
        return all.stream().filter(o -> o.path("kind").asText().equals(kind)).toList();
    }

    JsonNode get(String kind, String name) {
        return all.stream()
                .filter(o -> o.path("kind").asText().equals(kind) && o.path("metadata").path("name").asText().equals(name))
                .findFirst()
                .orElseThrow(() -> new NoSuchElementException("no " + kind + " " + name + " among "
                        + all.stream().map(o -> o.path("kind").asText() + "/" + o.path("metadata").path("name").asText()).toList()));
    }

    /** The single container of a Deployment's or Job's pod template. */
    static JsonNode container(JsonNode workload) {
        return workload.at("/spec/template/spec/containers/0");
    }
}

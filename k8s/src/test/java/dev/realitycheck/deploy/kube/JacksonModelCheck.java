package dev.realitycheck.deploy.kube;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Validation of custom resources through their Jackson models (Strimzi, fabric8). Deserialising
 * catches wrong types; these models keep unknown fields in {@code additionalProperties} instead of
 * failing, so the object graph is walked and any additional property is a problem; getters marked
 * {@code @JsonProperty(required = true)} (Strimzi marks its required fields so) must not be null.
 */
final class JacksonModelCheck {

    private JacksonModelCheck() {
    }

    static void check(ObjectMapper mapper, JsonNode object, Class<?> model, String id, List<String> problems) {
        Object value;
        try {
            value = mapper.treeToValue(object, model);
        } catch (Exception e) {
            problems.add(id + ": " + e.getMessage().lines().findFirst().orElse(e.toString()));
            return;
        }
        walk(value, "", id, problems, new IdentityHashMap<>());
    }

    private static void walk(Object value, String path, String id, List<String> problems, Map<Object, Boolean> seen) {
        if (value == null || seen.put(value, Boolean.TRUE) != null) {
            return;
        }
        if (value instanceof Collection<?> items) {
            int i = 0;
            for (Object item : items) {
                walk(item, path + "[" + i++ + "]", id, problems, seen);
            }
            return;
        }
        if (value instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> e : map.entrySet()) {
                walk(e.getValue(), path + "." + e.getKey(), id, problems, seen);
            }
            return;
        }
        String pkg = value.getClass().getPackageName();
        if (!pkg.startsWith("io.strimzi.") && !pkg.startsWith("io.fabric8.")) {
            return;
        }
        for (Method getter : value.getClass().getMethods()) {
            if (getter.getParameterCount() != 0 || Modifier.isStatic(getter.getModifiers())
                    || getter.getDeclaringClass() == Object.class || !getter.getName().startsWith("get")) {
                continue;
            }
            Object child;
            try {
                child = getter.invoke(value);
            } catch (ReflectiveOperationException | RuntimeException e) {
                continue;
            }
            String field = property(getter);
            if (getter.getName().equals("getAdditionalProperties")) {
                if (child instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    problems.add(id + ": unknown field(s) " + extra.keySet() + " at " + (path.isEmpty() ? "the top level" : path.substring(1)));
                }
                continue;
            }
            JsonProperty annotation = getter.getAnnotation(JsonProperty.class);
            if (child == null && annotation != null && annotation.required()) {
                problems.add(id + ": required field " + (path + "." + field).substring(1) + " is missing");
            }
            walk(child, path + "." + field, id, problems, seen);
        }
    }

    private static String property(Method getter) {
        JsonProperty annotation = getter.getAnnotation(JsonProperty.class);
        if (annotation != null && !annotation.value().isEmpty()) {
            return annotation.value();
        }
        String n = getter.getName().substring(3);
        return n.isEmpty() ? n : Character.toLowerCase(n.charAt(0)) + n.substring(1);
    }
}

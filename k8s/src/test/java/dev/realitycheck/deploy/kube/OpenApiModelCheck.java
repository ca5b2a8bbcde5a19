package dev.realitycheck.deploy.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import com.google.gson.annotations.SerializedName;
import io.kubernetes.client.custom.IntOrString;
import io.kubernetes.client.custom.Quantity;
import io.kubernetes.client.openapi.JSON;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

/**
 * Validation of built-in kinds through the Kubernetes Java client's generated models.
 *
 * <p>Three layers: the model's {@code validateJsonElement} (unknown fields at every level, missing
 * required fields, arrays/objects/primitives where the spec wants them), a walk that checks the JSON
 * type of every primitive against the model's field type (the generated check accepts {@code "3"}
 * for an integer and {@code 5} for a string; the API server does not), and deserialisation with
 * the client's Gson (invalid quantities such as {@code "2 GB"}).
 */
final class OpenApiModelCheck {

    private static final String MODELS = "io.kubernetes.client.openapi.models.";

    private OpenApiModelCheck() {
    }

    /** The model class of {@code apiVersion}/{@code kind}, e.g. apps/v1 Deployment: V1Deployment; null if none. */
    static Class<?> modelClass(String apiVersion, String kind) {
        String version = apiVersion.substring(apiVersion.indexOf('/') + 1);
        String className = MODELS + Character.toUpperCase(version.charAt(0)) + version.substring(1) + kind;
        try {
            return Class.forName(className);
        } catch (ClassNotFoundException e) {
            return null;
        }
    }

    static void check(JsonNode object, Class<?> model, String id, List<String> problems) {
        JsonElement json = JsonParser.parseString(object.toString());
        int before = problems.size();
        walk(json, model, "", id, problems);
        if (problems.size() > before) {
            return; // the generated check would fail on the same field with a cast error naming no field
        }
        try {
            Method validate = model.getMethod("validateJsonElement", JsonElement.class);
            validate.invoke(null, json);
        } catch (InvocationTargetException e) {
            problems.add(id + ": " + e.getCause().getMessage());
            return;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("no validateJsonElement on " + model.getName(), e);
        }
        try {
            JSON.getGson().fromJson(json, model);
        } catch (RuntimeException e) {
            problems.add(id + ": " + e.getMessage());
        }
    }

    /** Checks the JSON type of every primitive below {@code json} against {@code type}. */
    private static void walk(JsonElement json, Type type, String path, String id, List<String> problems) {
        if (json == null || json.isJsonNull()) {
            return;
        }
        Class<?> raw = raw(type);
        String where = path.isEmpty() ? "the object" : path.substring(1);
        if (type instanceof ParameterizedType p && List.class.isAssignableFrom(raw)) {
            if (!json.isJsonArray()) {
                problems.add(id + ": " + where + " must be a list, got " + json);
            } else {
                for (int i = 0; i < json.getAsJsonArray().size(); i++) {
                    walk(json.getAsJsonArray().get(i), p.getActualTypeArguments()[0], path + "[" + i + "]", id, problems);
                }
            }
            return;
        }
        if (type instanceof ParameterizedType p && Map.class.isAssignableFrom(raw)) {
            if (!json.isJsonObject()) {
                problems.add(id + ": " + where + " must be a map, got " + json);
            } else {
                for (Map.Entry<String, JsonElement> e : json.getAsJsonObject().entrySet()) {
                    walk(e.getValue(), p.getActualTypeArguments()[1], path + "." + e.getKey(), id, problems);
                }
            }
            return;
        }
        String expected = expectedPrimitive(raw);
        if (expected != null) {
            if (!matches(json, raw)) {
                problems.add(id + ": " + where + " must be " + expected + ", got " + json);
            }
            return;
        }
        if (raw.getName().startsWith(MODELS) && !json.isJsonObject()) {
            problems.add(id + ": " + where + " must be an object, got " + json);
            return;
        }
        if (raw.getName().startsWith(MODELS)) {
            JsonObject object = json.getAsJsonObject();
            for (Field field : raw.getDeclaredFields()) {
                SerializedName name = field.getAnnotation(SerializedName.class);
                if (name != null && object.has(name.value())) {
                    walk(object.get(name.value()), field.getGenericType(), path + "." + name.value(), id, problems);
                }
            }
        }
    }

    private static String expectedPrimitive(Class<?> raw) {
        if (raw == Integer.class || raw == Long.class) {
            return "an integer";
        }
        if (raw == Double.class || raw == Float.class || raw == java.math.BigDecimal.class) {
            return "a number";
        }
        if (raw == Boolean.class) {
            return "a boolean";
        }
        if (raw == String.class || raw == OffsetDateTime.class) {
            return "a string";
        }
        if (raw == IntOrString.class) {
            return "an integer or a string";
        }
        if (raw == Quantity.class) {
            return "a quantity (string or number)";
        }
        return null;
    }

    private static boolean matches(JsonElement json, Class<?> raw) {
        if (!json.isJsonPrimitive()) {
            return false;
        }
        JsonPrimitive p = json.getAsJsonPrimitive();
        if (raw == Integer.class || raw == Long.class) {
            return p.isNumber() && p.getAsBigDecimal().stripTrailingZeros().scale() <= 0;
        }
        if (raw == Double.class || raw == Float.class || raw == java.math.BigDecimal.class) {
            return p.isNumber();
        }
        if (raw == Boolean.class) {
            return p.isBoolean();
        }
        if (raw == String.class || raw == OffsetDateTime.class) {
            return p.isString();
        }
        if (raw == IntOrString.class) {
            return p.isString() || (p.isNumber() && p.getAsBigDecimal().stripTrailingZeros().scale() <= 0);
        }
        return p.isString() || p.isNumber();
    }

    private static Class<?> raw(Type type) {
        if (type instanceof Class<?> c) {
            return c;
        }
        if (type instanceof ParameterizedType p) {
            return (Class<?>) p.getRawType();
        }
        return Object.class;
    }
}

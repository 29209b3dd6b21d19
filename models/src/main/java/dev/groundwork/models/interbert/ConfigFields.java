package dev.groundwork.models.interbert;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Typed reads of one config JSON object, each field either absent (its default) or of the right
 * type: a misspelt value such as {@code "hidden_size": "768"} is refused with the field named instead
 * of silently falling back to the default, which is what Jackson's {@code asInt(default)} would do.
 */
final class ConfigFields {
    private final JsonNode node;

    ConfigFields(JsonNode node) {
        if (node == null || !node.isObject()) throw new IllegalArgumentException("an InterBERT config must be a JSON object, got " + node);
        this.node = node;
    }

    /** A field the original constructor has no usable default for: absent is an error. */
    int requiredInt(String field, String why) {
        if (!node.has(field)) throw new IllegalArgumentException("config field " + field + " is missing: " + why);
        return integer(field, 0);
    }

    int integer(String field, int dflt) {
        JsonNode v = node.get(field);
        if (v == null) return dflt;
        if (!v.isIntegralNumber() || !v.canConvertToInt())
            throw new IllegalArgumentException("config field " + field + " must be an integer, got " + v);
        return v.intValue();
    }

    double number(String field, double dflt) {
        JsonNode v = node.get(field);
        if (v == null) return dflt;
        if (!v.isNumber()) throw new IllegalArgumentException("config field " + field + " must be a number, got " + v);
        return v.doubleValue();
    }

    String text(String field, String dflt) {
        JsonNode v = node.get(field);
        if (v == null) return dflt;
        if (!v.isTextual()) throw new IllegalArgumentException("config field " + field + " must be a string, got " + v);
        return v.textValue();
    }

    boolean bool(String field, boolean dflt) {
        JsonNode v = node.get(field);
        if (v == null) return dflt;
        if (!v.isBoolean()) throw new IllegalArgumentException("config field " + field + " must be true or false, got " + v);
        return v.booleanValue();
    }
}

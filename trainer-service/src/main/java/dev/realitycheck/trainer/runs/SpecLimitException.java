package dev.realitycheck.trainer.runs;

/**
 * A well-formed experiment spec that asks for more than this trainer is configured to accept
 * (answered with {@code RESOURCE_EXHAUSTED}, unlike a malformed spec's {@code INVALID_ARGUMENT}).
 * The message names the field, its value, the limit and the setting that raises it.
 */
public final class SpecLimitException extends InvalidSpecException {

    /**
     * @param field   the field's path in the spec, e.g. {@code reproductions}
     * @param value   the value the spec asks for
     * @param limit   the configured limit
     * @param setting the configuration key of the limit
     */
    public SpecLimitException(String field, long value, long limit, String setting) {
        super(field, "is " + value + ", over the limit " + limit + " (" + setting + ")");
    }
}

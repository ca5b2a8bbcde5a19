package dev.realitycheck.trainer.runs;

/**
 * An experiment spec that cannot run; the message starts with the offending field's path. A spec
 * over a configured bound is the subclass {@link SpecLimitException}.
 */
public sealed class InvalidSpecException extends IllegalArgumentException permits SpecLimitException {

    private final String field;

    /**
     * @param field   the field's path in the spec, e.g. {@code losses[1].name}
     * @param problem what is wrong with it
     */
    public InvalidSpecException(String field, String problem) {
        super(field + " " + problem);
        this.field = field;
    }

    /** @return the offending field's path */
    public String field() {
        return field;
    }
}

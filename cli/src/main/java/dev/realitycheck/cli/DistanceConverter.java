package dev.realitycheck.cli;

import dev.realitycheck.knn.Distance;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Parses {@code --distance} values; a bad value is a usage error (exit code 2). */
public class DistanceConverter implements ITypeConverter<Distance> {

    @Override
    public Distance convert(String value) {
        try {
            return Distance.parse(value);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage());
        }
    }
}

package dev.realitycheck.cli;

import dev.realitycheck.knn.KnnDistance;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Parses {@code --distance} values; a bad value is a usage error (exit code 2). */
public class DistanceConverter implements ITypeConverter<KnnDistance> {

    @Override
    public KnnDistance convert(String value) {
        try {
            return KnnDistance.parse(value);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage());
        }
    }
}

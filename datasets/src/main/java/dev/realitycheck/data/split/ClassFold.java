package dev.realitycheck.data.split;

/** The classes of one fold of a class-disjoint split: what it trains on and what it validates on. */
public interface ClassFold {

    /** @return the fold's training classes (original labels), sorted */
    int[] trainingClasses();

    /** @return the fold's validation classes (original labels), sorted */
    int[] validationClasses();
}

package dev.realitycheck.cli;

import picocli.CommandLine.Command;

/** {@code realitycheck dataset inspect|prepare DIR}: image datasets on disk (CUB-200-2011, Cars196, SOP, image folders). */
@Command(name = "dataset", mixinStandardHelpOptions = true,
        description = {"Inspect an image dataset directory or prepare its decoded cache.",
                "Layouts: CUB-200-2011, Cars196 (cars_annos.mat), Stanford Online Products (Ebay_*.txt), root/<class>/<image>."},
        subcommands = {DatasetInspectCommand.class, DatasetPrepareCommand.class})
public class DatasetCommand {
}

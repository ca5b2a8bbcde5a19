package dev.realitycheck.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** What {@code realitycheck --help} lists: one whole sentence per command, never a phrase cut mid-way. */
class HelpTextTest {

    private static final CommandLine TOP = new CommandLine(RealityCheckCommand.class);

    @Test
    void everyCommandIsSummedUpInOneWholeSentence() {
        Map<String, CommandLine> commands = TOP.getSubcommands();
        assertThat(commands).isNotEmpty();
        commands.forEach((name, command) -> {
            String[] description = command.getCommandSpec().usageMessage().description();
            assertThat(description).as(name).isNotEmpty();
            assertThat(description[0]).as("first line of %s's description, which --help lists", name)
                    .endsWith(".").doesNotEndWith(":.");
        });
    }

    @Test
    void theTopLevelHelpListsEachSummaryWhole() {
        // wrapped lines may break anywhere (even inside "(.npy)"), so compare without white space
        String usage = TOP.getUsageMessage(CommandLine.Help.Ansi.OFF).replaceAll("\\s+", "");
        TOP.getSubcommands().forEach((name, command) -> assertThat(usage).as(name)
                .contains(command.getCommandSpec().usageMessage().description()[0].replaceAll("\\s+", "")));
    }
}

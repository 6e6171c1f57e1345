package io.nextlog.world;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class CommandOptionsTest {

    @Test
    void shouldBuildTheWorldConfigFromFlags() {
        CommandOptions options =
                CommandOptions.parse(
                        new String[] {
                            "--seed", "9", "--customers=500", "--events", "50_000",
                            "--planted-causes", "--shift-at-day", "4", "--shift-towards", "music"
                        });

        WorldConfig config = WorldCommand.config(options, false);

        assertEquals(9, config.seed());
        assertEquals(500, config.customers());
        assertEquals(50_000, config.events());
        assertEquals(PlantedCause.defaults(), config.plantedCauses());
        assertEquals(Category.MUSIC, config.preferenceShift().towards());
        assertEquals(config.start().plus(Duration.ofDays(4)), config.preferenceShift().at());
        assertEquals(0.3, config.preferenceShift().customerFraction());
    }

    @Test
    void shouldRejectUnknownFlagsAndBadValuesByName() {
        IllegalArgumentException unknown =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> CommandOptions.parse(new String[] {"--customer", "5"}));
        CommandOptions bad = CommandOptions.parse(new String[] {"--customers", "many"});
        IllegalArgumentException badValue =
                assertThrows(IllegalArgumentException.class, () -> WorldCommand.config(bad, false));

        assertTrue(unknown.getMessage().contains("--customer"), unknown.getMessage());
        assertEquals("--customers: expected an integer, found 'many'", badValue.getMessage());
    }

    @Test
    void shouldListEveryFlagInTheHelp() {
        String usage = CommandOptions.usage();

        for (CommandOptions.Option option : CommandOptions.ALL) {
            assertTrue(usage.contains("--" + option.name()), option.name());
        }
    }
}

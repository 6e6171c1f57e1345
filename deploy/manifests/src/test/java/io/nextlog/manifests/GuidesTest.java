package io.nextlog.manifests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nextlog.schemas.channel.Channel;
import io.nextlog.schemas.channel.Channels;
import io.nextlog.schemas.event.FeedbackAction;
import io.nextlog.schemas.event.FeedbackEvent;
import io.nextlog.schemas.feedback.FeedbackValidator;
import io.nextlog.schemas.identity.PseudonymousIds;
import io.nextlog.schemas.topic.TopicCatalog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The guides in docs/ say what the code does: every channel's topic, Java blocks that are lines of
 * the compiled examples, a curl body the feedback validator accepts, trainer commands and flags
 * that exist, and links that lead to files.
 */
class GuidesTest {

    private static final Path DOCS = Repository.path("docs");
    private static final Pattern JAVA_BLOCK = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL);
    private static final String TRAINER_COMMAND =
            "model-trainer/src/main/java/io/nextlog/trainer/cli/TrainerCommand.java";
    private static final Pattern LINK = Pattern.compile("\\]\\(([^)#:]+)(?:#[^)]*)?\\)");

    @Test
    void shouldNameTheTopicOfEveryChannel() throws IOException {
        String guide = read("channel-apps.md");
        for (Channel channel : Channels.defaults().all()) {
            String topic = TopicCatalog.recommendationsTopic(channel.id());
            assertTrue(guide.contains("`" + topic + "`"), "channel-apps.md lacks " + topic);
        }
        assertTrue(guide.contains("read_committed"));
    }

    @Test
    void shouldQuoteOnlyLinesOfTheCompiledExamples() throws IOException {
        assertQuotes("channel-apps.md", "ChannelConsumerExample.java");
        assertQuotes("feedback-producers.md", "FeedbackProducerExample.java");
    }

    @Test
    void shouldDocumentAFeedbackBodyTheValidatorAccepts() throws IOException {
        Matcher body = Pattern.compile("-d '(\\{.*?\\})'").matcher(read("feedback-producers.md"));
        assertTrue(body.find(), "feedback-producers.md: no curl body");
        JsonNode json = new ObjectMapper().readTree(body.group(1));
        FeedbackEvent event =
                FeedbackEvent.newBuilder()
                        .setEventId("doc-example")
                        .setUserId(json.get("userId").asText())
                        .setChannel(json.get("channel").asText())
                        .setItem(json.get("item").asText())
                        .setAction(
                                FeedbackAction.valueOf(
                                        json.get("action").asText().toUpperCase(Locale.ROOT)))
                        .setEventTime(Instant.now())
                        .setRecommendationId(json.path("recommendationId").asText(null))
                        .build();
        new FeedbackValidator(Channels.defaults(), PseudonymousIds.defaults()).validate(event);
    }

    @Test
    void shouldRunTrainerSubcommandsAndFlagsThatExist() throws IOException {
        String guide = read("data-scientists.md");
        Set<String> literals = Repository.stringLiterals("model-trainer");
        Set<String> world = Repository.stringLiterals("deploy/synthetic-world");
        Matcher command =
                Pattern.compile("TrainerCommand (\\w+)((?:[^\\n]|\\\\\\n)*)").matcher(guide);
        int commands = 0;
        String trainer = Files.readString(Repository.path(TRAINER_COMMAND));
        while (command.find()) {
            assertTrue(trainer.contains("case \"" + command.group(1) + "\""), command.group(1));
            assertFlags(command.group(2), literals);
            commands++;
        }
        assertEquals(4, commands, "train, evaluate, export, inspect");
        Matcher worldCommand = Pattern.compile("WorldCommand([^\\n]*)").matcher(guide);
        while (worldCommand.find()) {
            assertFlags(worldCommand.group(1), world);
        }
    }

    @Test
    void shouldLinkOnlyToFilesThatExist() throws IOException {
        List<Path> pages =
                List.of(
                        DOCS.resolve("channel-apps.md"),
                        DOCS.resolve("feedback-producers.md"),
                        DOCS.resolve("data-scientists.md"),
                        DOCS.resolve("sizing.md"),
                        Repository.path("deploy/images/README.md"),
                        Repository.path("deploy/compose/README.md"),
                        Repository.path("deploy/k8s/README.md"));
        for (Path page : pages) {
            Matcher link = LINK.matcher(Files.readString(page));
            while (link.find()) {
                Path target = page.getParent().resolve(link.group(1)).normalize();
                assertTrue(Files.exists(target), page + ": link to " + link.group(1));
            }
        }
        assertTrue(read("data-scientists.md").contains("(../deploy/monitoring/RUNBOOK.md)"));
    }

    private static void assertFlags(String text, Set<String> literals) {
        Matcher flag = Pattern.compile("(?<=\\s)--([a-z][a-z0-9-]*)").matcher(text);
        while (flag.find()) {
            String name = flag.group(1);
            assertTrue(
                    literals.contains("--" + name) || literals.contains(name),
                    "unknown flag --" + name + " in: " + text.trim());
        }
    }

    private static void assertQuotes(String guide, String example) throws IOException {
        String source =
                Files.readString(
                        Repository.path("deploy/manifests/src/test/java/io/nextlog/manifests")
                                .resolve(example));
        Set<String> lines =
                Set.copyOf(source.lines().map(String::strip).filter(l -> !l.isEmpty()).toList());
        Matcher block = JAVA_BLOCK.matcher(read(guide));
        int blocks = 0;
        while (block.find()) {
            for (String line : block.group(1).lines().map(String::strip).toList()) {
                if (!line.isEmpty()) {
                    assertTrue(lines.contains(line), guide + ": not in " + example + ": " + line);
                }
            }
            blocks++;
        }
        assertTrue(blocks > 0, guide + ": no java block");
    }

    private static String read(String page) throws IOException {
        return Files.readString(DOCS.resolve(page));
    }
}

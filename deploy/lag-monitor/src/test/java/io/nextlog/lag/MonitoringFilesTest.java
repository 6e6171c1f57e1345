package io.nextlog.lag;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * The alert rules and the Grafana dashboard in {@code deploy/monitoring} parse, and every metric
 * they query is one nextlog publishes: the lag metrics as {@link LagMetrics} writes them, the
 * scorer's and the feedback updater's as their sources name them.
 */
class MonitoringFilesTest {

    private static final Path HOME = Path.of(System.getProperty("user.dir")).resolve("../..");
    private static final Path MONITORING = HOME.resolve("deploy/monitoring");
    private static final Pattern METRIC =
            Pattern.compile(
                    "\\b((?:kafka|nextlog)_[a-z_]+?)(?:_bucket|_sum|_count)?\\b(?=[\\[({\\s)]|$)");

    @Test
    void shouldDefineEveryAlertWithSeverityRunbookAndKnownMetrics() throws IOException {
        JsonNode rules =
                new ObjectMapper(new YAMLFactory())
                        .readTree(MONITORING.resolve("prometheus-alerts.yml").toFile());
        Set<String> known = publishedMetrics();
        int alerts = 0;
        for (JsonNode group : rules.get("groups")) {
            for (JsonNode rule : group.get("rules")) {
                String name = rule.get("alert").asText();
                assertTrue(rule.path("labels").has("severity"), name + ": no severity");
                String runbook = rule.path("annotations").path("runbook").asText();
                String anchor = runbook.substring(runbook.indexOf('#') + 1);
                assertTrue(
                        Files.readString(MONITORING.resolve("RUNBOOK.md")).contains("## " + anchor),
                        name + ": runbook section " + anchor + " missing");
                assertKnown(name, rule.get("expr").asText(), known);
                alerts++;
            }
        }
        assertTrue(alerts >= 5, "alerts: " + alerts);
    }

    @Test
    void shouldQueryOnlyKnownMetricsOnTheDashboard() throws IOException {
        JsonNode dashboard =
                new ObjectMapper().readTree(MONITORING.resolve("grafana-nextlog.json").toFile());
        Set<String> known = publishedMetrics();
        assertFalse(dashboard.get("panels").isEmpty());
        for (JsonNode panel : dashboard.get("panels")) {
            for (JsonNode target : panel.get("targets")) {
                assertKnown(panel.get("title").asText(), target.get("expr").asText(), known);
            }
        }
    }

    private static void assertKnown(String where, String expr, Set<String> known) {
        Matcher matcher = METRIC.matcher(expr);
        int found = 0;
        while (matcher.find()) {
            found++;
            assertTrue(
                    known.contains(matcher.group(1)),
                    where + ": unknown metric " + matcher.group(1) + " in " + expr);
        }
        assertTrue(found > 0, where + ": no nextlog or kafka metric in " + expr);
    }

    /** The lag metrics as written, plus every nextlog_* name the services' sources publish. */
    private static Set<String> publishedMetrics() throws IOException {
        Set<String> names = new HashSet<>();
        String lag =
                LagMetrics.format(
                        List.of(
                                new PartitionLag(
                                        "g",
                                        new TopicPartition("t", 0),
                                        0,
                                        0,
                                        1,
                                        Instant.EPOCH,
                                        Duration.ZERO)));
        lag.lines()
                .filter(l -> !l.startsWith("#"))
                .forEach(l -> names.add(l.substring(0, l.indexOf('{'))));
        Pattern literal = Pattern.compile("\"(nextlog_[a-z_]+)\"");
        for (String module : List.of("online-scorer", "feedback-updater", "model-trainer")) {
            try (Stream<Path> sources = Files.walk(HOME.resolve(module).resolve("src/main/java"))) {
                for (Path source : sources.filter(p -> p.toString().endsWith(".java")).toList()) {
                    Matcher matcher = literal.matcher(Files.readString(source));
                    while (matcher.find()) {
                        names.add(matcher.group(1));
                    }
                }
            }
        }
        return names;
    }
}

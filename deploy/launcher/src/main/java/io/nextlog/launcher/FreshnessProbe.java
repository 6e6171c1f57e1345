package io.nextlog.launcher;

import io.nextlog.schemas.channel.Channel;
import io.nextlog.schemas.channel.Channels;
import io.nextlog.schemas.event.BehaviorEvent;
import io.nextlog.schemas.event.CatalogItem;
import io.nextlog.schemas.event.Domain;
import io.nextlog.schemas.event.FeedbackAction;
import io.nextlog.schemas.event.FeedbackEvent;
import io.nextlog.schemas.event.RankedItem;
import io.nextlog.schemas.event.Recommendation;
import io.nextlog.schemas.registry.SchemaRegistryClient;
import io.nextlog.schemas.serde.RegistryAvroDeserializer;
import io.nextlog.schemas.serde.RegistryAvroSerializer;
import io.nextlog.schemas.topic.TopicCatalog;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Measures freshness on a running platform ({@code ./nextlog demo}): how long from the first click
 * on a brand-new item until a recommendation ranks that item in its top 10.
 *
 * <p>Each run publishes a new item into every channel's catalog, picks a group of customers who
 * were recommended something in the last seconds, lets them act for {@code --settle-s} seconds
 * without clicking (a run whose item reaches a top 10 then does not count), then has them click the
 * new item (organic clicks, one per customer every two seconds) while each also does something new
 * every second, so their journeys change and are scored again. Freshness is the time from producing
 * the first click to reading here the first recommendation, for a customer of the group, whose top
 * 10 holds the new item. Prints each run and the median and 90th percentile.
 *
 * <pre>
 * java -cp ... io.nextlog.launcher.FreshnessProbe --bootstrap-servers 127.0.0.1:9092 \
 *     --registry-url http://127.0.0.1:8081/apis/ccompat/v7 --runs 5 --group 20
 * </pre>
 */
public final class FreshnessProbe {

    private final KafkaProducer<String, byte[]> producer;
    private final KafkaConsumer<String, byte[]> consumer;
    private final SchemaRegistryClient registry;
    // One serializer for every record: it caches schema ids, so the registry is asked once each.
    private final RegistryAvroSerializer<SpecificRecord> serializer;
    private final List<String> channels;
    private int top = 10;

    private FreshnessProbe(String bootstrap, String registryUrl) {
        this.registry = new SchemaRegistryClient(registryUrl);
        this.serializer = new RegistryAvroSerializer<>(registry, true);
        Properties producerProps = new Properties();
        producerProps.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        producerProps.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        this.producer =
                new KafkaProducer<>(
                        producerProps, new StringSerializer(), new ByteArraySerializer());
        Properties consumerProps = new Properties();
        consumerProps.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        consumerProps.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        consumerProps.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        this.consumer =
                new KafkaConsumer<>(
                        consumerProps, new StringDeserializer(), new ByteArrayDeserializer());
        this.channels = Channels.defaults().all().stream().map(Channel::id).toList();
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> flags = new java.util.HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("expected a --flag, found '" + args[i] + "'");
            }
            flags.put(args[i], args[i + 1]);
        }
        int runs = Integer.parseInt(flags.getOrDefault("--runs", "5"));
        int group = Integer.parseInt(flags.getOrDefault("--group", "20"));
        Duration timeout =
                Duration.ofSeconds(Long.parseLong(flags.getOrDefault("--timeout-s", "120")));
        Duration settle = Duration.ofSeconds(Long.parseLong(flags.getOrDefault("--settle-s", "8")));
        FreshnessProbe probe =
                new FreshnessProbe(
                        flags.getOrDefault("--bootstrap-servers", "127.0.0.1:9092"),
                        flags.getOrDefault(
                                "--registry-url", "http://127.0.0.1:8081/apis/ccompat/v7"));
        probe.top = Integer.parseInt(flags.getOrDefault("--top", "10"));
        PrintStream out = System.out;
        List<Double> seconds = new ArrayList<>();
        for (int run = 1; run <= runs; run++) {
            double s = probe.run(run, group, settle, timeout, out);
            if (Double.isFinite(s)) {
                seconds.add(s);
            }
        }
        double[] sorted = seconds.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        out.printf(
                Locale.ROOT,
                "freshness (top %d) over %d of %d runs: p50 %.1f s, p90 %.1f s, all %s%n",
                probe.top,
                sorted.length,
                runs,
                percentile(sorted, 0.5),
                percentile(sorted, 0.9),
                Arrays.toString(sorted));
        probe.producer.close();
        probe.consumer.close();
    }

    private double run(int run, int groupSize, Duration settle, Duration timeout, PrintStream out)
            throws Exception {
        String item = "probe-" + System.currentTimeMillis();
        List<TopicPartition> partitions = new ArrayList<>();
        for (String channel : channels) {
            for (PartitionInfo p :
                    consumer.partitionsFor(TopicCatalog.recommendationsTopic(channel))) {
                partitions.add(new TopicPartition(p.topic(), p.partition()));
            }
        }
        consumer.assign(partitions);
        // The group: customers recommended something in the last 20 seconds.
        Map<TopicPartition, Long> since =
                consumer
                        .offsetsForTimes(
                                partitionsAt(partitions, System.currentTimeMillis() - 20_000))
                        .entrySet()
                        .stream()
                        .filter(e -> e.getValue() != null)
                        .collect(
                                java.util.stream.Collectors.toMap(
                                        Map.Entry::getKey, e -> e.getValue().offset()));
        consumer.seekToEnd(partitions);
        since.forEach(consumer::seek);
        Set<String> group = new LinkedHashSet<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (group.size() < groupSize && System.nanoTime() < deadline) {
            for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                if (group.size() < groupSize) {
                    group.add(record.key());
                }
            }
        }
        if (group.isEmpty()) {
            out.printf("run %d: no recent recommendations to pick a group from%n", run);
            return Double.NaN;
        }

        send(
                TopicCatalog.CATALOG_ITEMS,
                item,
                CatalogItem.newBuilder()
                        .setItemId(item)
                        .setTitle("New offer " + run)
                        .setCategory("video-ott")
                        .setChannels(new ArrayList<>(channels))
                        .setValidFrom(Instant.now().minusSeconds(60))
                        .setValidUntil(null)
                        .setCampaignId(null)
                        .build());
        producer.flush();
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
        RegistryAvroDeserializer<Recommendation> values =
                new RegistryAvroDeserializer<>(registry, Recommendation.class);

        // Before any click: the group keeps acting, so it is scored with whatever model holds the
        // new item's fresh vocabulary slot. The item must not reach a top 10 yet; if it does,
        // the run measures nothing and does not count.
        long settleEnd = System.currentTimeMillis() + settle.toMillis();
        long nextEvents = 0;
        while (System.currentTimeMillis() < settleEnd) {
            if (System.currentTimeMillis() >= nextEvents) {
                for (String user : group) {
                    send(TopicCatalog.BEHAVIOR_EVENTS, user, event(user));
                }
                producer.flush();
                nextEvents = System.currentTimeMillis() + 1_000;
            }
            for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                Hit hit = find(record, group, item, values);
                if (hit != null) {
                    out.printf(
                            "run %d: %s at rank %d before any click; not counted%n",
                            run, item, hit.rank() + 1);
                    return Double.NaN;
                }
            }
        }

        long firstClick = System.currentTimeMillis();
        long nextClicks = 0;
        long end = firstClick + timeout.toMillis();
        while (System.currentTimeMillis() < end) {
            long now = System.currentTimeMillis();
            if (now >= nextClicks) {
                for (String user : group) {
                    send(TopicCatalog.FEEDBACK_EVENTS, user, click(user, item));
                }
                producer.flush();
                nextClicks = now + 2_000;
            }
            if (now >= nextEvents) {
                for (String user : group) {
                    send(TopicCatalog.BEHAVIOR_EVENTS, user, event(user));
                }
                producer.flush();
                nextEvents = now + 1_000;
            }
            for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                Hit hit = find(record, group, item, values);
                if (hit != null) {
                    // When it was read here: an upper bound on when it was published.
                    double seconds = (System.currentTimeMillis() - firstClick) / 1000.0;
                    out.printf(
                            Locale.ROOT,
                            "run %d: %s at rank %d on %s, model %s, %.1f s after the first"
                                    + " click (group of %d)%n",
                            run,
                            item,
                            hit.rank() + 1,
                            hit.recommendation().getChannel(),
                            hit.recommendation().getModelVersion(),
                            seconds,
                            group.size());
                    return seconds;
                }
            }
        }
        out.printf("run %d: %s not in a top " + top + " within %s%n", run, item, timeout);
        return Double.NaN;
    }

    /** A group member's recommendation holding the item in its top, at a 0-based rank. */
    private record Hit(int rank, Recommendation recommendation) {}

    /** The hit in a record, or null if it is not a group member's or lacks the item on top. */
    private Hit find(
            ConsumerRecord<String, byte[]> record,
            Set<String> group,
            String item,
            RegistryAvroDeserializer<Recommendation> values) {
        if (!group.contains(record.key()) || record.value() == null) {
            return null;
        }
        Recommendation recommendation =
                values.decode(record.topic(), record.partition(), record.offset(), record.value());
        List<RankedItem> items = recommendation.getItems();
        for (int rank = 0; rank < Math.min(top, items.size()); rank++) {
            if (items.get(rank).getItemId().equals(item)) {
                return new Hit(rank, recommendation);
            }
        }
        return null;
    }

    private static Map<TopicPartition, Long> partitionsAt(List<TopicPartition> partitions, long t) {
        Map<TopicPartition, Long> query = new java.util.HashMap<>();
        partitions.forEach(p -> query.put(p, t));
        return query;
    }

    private FeedbackEvent click(String user, String item) {
        return FeedbackEvent.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setUserId(user)
                .setChannel("t-deal")
                .setItem(item)
                .setAction(FeedbackAction.CLICK)
                .setEventTime(Instant.now())
                .setRecommendationId(null)
                .build();
    }

    private BehaviorEvent event(String user) {
        return BehaviorEvent.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setUserId(user)
                .setEventTime(Instant.now())
                .setDomain(Domain.APP_USE)
                .setItem("app-probe")
                .setAttributes(Map.of())
                .build();
    }

    private void send(String topic, String key, SpecificRecord value) {
        producer.send(new ProducerRecord<>(topic, key, serializer.serialize(topic, value)));
    }

    private static double percentile(double[] sorted, double q) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int index = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }
}

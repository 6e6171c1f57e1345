package io.nextlog.ingest;

import io.nextlog.schemas.event.BehaviorEvent;
import io.nextlog.schemas.event.DeadLetter;
import io.nextlog.schemas.event.FeedbackEvent;
import io.nextlog.schemas.topic.TopicCatalog;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.AsyncDataStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/**
 * The nextlog ingest job.
 *
 * <pre>
 * behavior-events -> edge (decode, checks) -+-> dead letters ---------------> dead-letters
 * feedback-events -> edge (decode, checks) -+
 *                                           '-> keyBy user -> journeys (RocksDB, debounce)
 *                                                 -> batch scoring (Async I/O, online scorer)
 *      feedback only (from the feedback edge) -> keyBy user -> contact policy (RocksDB)
 *                                                 -> recommendations.&lt;channel&gt;, contacts,
 *                                                    recommendation-context
 * </pre>
 *
 * <p>Run on a cluster with the job jar and {@code key=value} arguments (or a properties file); run
 * locally on a MiniCluster bound to 127.0.0.1 with {@code local} as the first argument. Every
 * option is in {@link IngestConfig}; {@code flink.*} keys go to Flink's configuration (for example
 * {@code flink.execution.checkpointing.dir}).
 *
 * <p>Metrics: the job's own are {@code journeyEvents}, {@code duplicateEvents}, {@code
 * scoringTasks}, {@code scoringLatencyMs}, {@code scoringFailures}, {@code scoringTimeouts}, {@code
 * liveModelVersion}, {@code contacts}, {@code held.<reason>} and {@code deadLetters}, beside
 * Flink's records in and out, checkpoint duration and size. Flink's Prometheus reporter is on the
 * classpath but off by default, because it binds every interface (it has no host option): where
 * that is acceptable, set {@code flink.metrics.reporter.prom.factory.class} to Flink's {@code
 * PrometheusReporterFactory} (package {@code org.apache.flink.metrics.prometheus}) and {@code
 * flink.metrics.reporter.prom.port=9249}.
 *
 * <p>Flink serialises every record and state with its POJO and Avro serializers: generic types are
 * disabled, so a type that would need Kryo fails the job at build time instead of making its
 * savepoints unreadable after an upgrade.
 */
public final class IngestJob {

    /**
     * The journey operator's uid, which names its state in checkpoints and savepoints; never change
     * it, or a restore leaves every journey behind.
     */
    static final String JOURNEYS_UID = "journeys";

    /** Flink's buffer timeout in at-least-once mode; {@code flink.*} keys override it. */
    static final String AT_LEAST_ONCE_BUFFER_TIMEOUT = "5 ms";

    static final OutputTag<DeadLetter> DEAD_LETTERS =
            new OutputTag<>("dead-letters", TypeInformation.of(DeadLetter.class));

    private IngestJob() {}

    public static void main(String[] args) throws Exception {
        boolean local = args.length > 0 && args[0].equals("local");
        Properties props = arguments(args, local ? 1 : 0);
        IngestConfig config = IngestConfig.from(props);
        Configuration flink = flinkConfiguration(props, config);
        StreamExecutionEnvironment env =
                local
                        ? StreamExecutionEnvironment.createLocalEnvironment(flink)
                        : StreamExecutionEnvironment.getExecutionEnvironment(flink);
        build(env, config);
        if (!local) {
            env.execute("nextlog-stream-ingest");
            return;
        }
        JobClient job = env.executeAsync("nextlog-stream-ingest");
        System.out.println(
                "ready http://127.0.0.1:"
                        + flink.get(RestOptions.PORT)
                        + " (Flink REST, job "
                        + job.getJobID()
                        + ")");
        job.getJobExecutionResult().get();
    }

    /** Reads {@code key=value} arguments; an argument without {@code =} names a properties file. */
    static Properties arguments(String[] args, int from) throws IOException {
        Properties props = new Properties();
        for (int i = from; i < args.length; i++) {
            int eq = args[i].indexOf('=');
            if (eq < 0) {
                try (Reader reader = Files.newBufferedReader(Path.of(args[i]))) {
                    props.load(reader);
                }
            } else {
                props.setProperty(args[i].substring(0, eq), args[i].substring(eq + 1));
            }
        }
        return props;
    }

    /**
     * Flink settings for the job: RocksDB, incremental checkpoints, object reuse, loopback, no
     * Kryo, and in at-least-once mode a 5 ms buffer timeout.
     */
    static Configuration flinkConfiguration(Properties props, IngestConfig config) {
        Configuration flink = new Configuration();
        flink.setString("state.backend.type", "rocksdb");
        flink.setString("execution.checkpointing.incremental", "true");
        flink.setString(
                "execution.checkpointing.interval", config.checkpointInterval().toMillis() + " ms");
        flink.setString("pipeline.generic-types", "false");
        // Chained operators hand records on by reference instead of a deep copy through the
        // record's serializer (for a JobInput, an Avro deep copy per operator). Safe here: no
        // function keeps or changes a record after handing it on or after it was handed one,
        // and the Async I/O operator copies its inputs itself when reuse is on.
        flink.setString("pipeline.object-reuse", "true");
        if (!config.exactlyOnce()) {
            // At-least-once is chosen for latency: a network buffer that does not fill waits for
            // the buffer timeout, Flink's 100 ms, at each exchange between tasks (source and
            // edge, journeys, policy, sink; there were four when the edge had a task of its own),
            // which was most of the event-to-recommendation time at low rates (IngestBench).
            // Exactly-once output waits for a checkpoint anyway, so it keeps full buffers.
            flink.setString("execution.buffer-timeout.interval", AT_LEAST_ONCE_BUFFER_TIMEOUT);
        }
        flink.setString("rest.bind-address", "127.0.0.1");
        // Not Flink's default 8081, which the local registry listens on.
        flink.set(RestOptions.PORT, 8083);
        flink.setString("rest.address", "127.0.0.1");
        flink.setString("jobmanager.bind-host", "127.0.0.1");
        flink.setString("taskmanager.bind-host", "127.0.0.1");
        flink.setString("taskmanager.host", "127.0.0.1");
        // The ONNX Runtime native library may be loaded once per JVM only: it must come from
        // Flink's parent class loader (lib/ on a cluster), never from a job class loader.
        flink.setString("classloader.parent-first-patterns.additional", "ai.onnxruntime.");
        for (String key : props.stringPropertyNames()) {
            if (key.startsWith("flink.")) {
                flink.setString(key.substring("flink.".length()), props.getProperty(key));
            }
        }
        return flink;
    }

    /** Adds the job's sources, operators and sink to {@code env}. */
    public static void build(StreamExecutionEnvironment env, IngestConfig config) {
        build(env, config, TopicCatalog.BEHAVIOR_EVENTS);
    }

    /**
     * As {@link #build(StreamExecutionEnvironment, IngestConfig)}, reading behavior from {@code
     * behaviorTopic}.
     */
    static void build(StreamExecutionEnvironment env, IngestConfig config, String behaviorTopic) {
        WatermarkStrategy<JobInput> watermarks =
                WatermarkStrategy.<JobInput>forBoundedOutOfOrderness(config.outOfOrderness())
                        .withTimestampAssigner((input, recordTime) -> eventTime(input, recordTime))
                        .withIdleness(config.idleness());
        // The edge runs in each source's task, chained to it, so a record crosses the network
        // once, at the key-by, instead of twice (a union in front of the edge kept it apart).
        SingleOutputStreamOperator<JobInput> behavior =
                env.fromSource(
                                source(config, behaviorTopic, BehaviorEvent.class),
                                watermarks,
                                behaviorTopic)
                        .uid("behavior-source")
                        .process(new SplitDeadLetters())
                        .name("edge")
                        .uid("edge");
        SingleOutputStreamOperator<JobInput> feedbackInputs =
                env.fromSource(
                                source(config, TopicCatalog.FEEDBACK_EVENTS, FeedbackEvent.class),
                                watermarks,
                                TopicCatalog.FEEDBACK_EVENTS)
                        .uid("feedback-source")
                        .process(new SplitDeadLetters())
                        .name("feedback-edge")
                        .uid("feedback-edge");
        DataStream<JobInput> checked = behavior.union(feedbackInputs);
        DataStream<Outgoing> letters =
                behavior.getSideOutput(DEAD_LETTERS)
                        .union(feedbackInputs.getSideOutput(DEAD_LETTERS))
                        .flatMap(
                                new KafkaRecords.FromDeadLetter(
                                        config.registryUrl(), config.autoRegisterSchemas()))
                        .name("dead-letter-records")
                        .uid("dead-letter-records");

        SingleOutputStreamOperator<ScoringTask> tasks =
                checked.keyBy(JobInput::userId)
                        .process(new JourneyFunction(config))
                        .name("journeys")
                        .uid(JOURNEYS_UID);
        if (!config.scoringEnabled()) {
            tasks.sinkTo(new org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink<>())
                    .name("no-scoring");
            letters.sinkTo(sink(config)).name("kafka").uid("kafka-sink");
            return;
        }

        BatchScoringFunction scoring = new BatchScoringFunction(config);
        long timeoutMs = config.scoringTimeout().toMillis();
        DataStream<ScoredJourney> scored =
                (config.orderedScoring()
                                ? AsyncDataStream.orderedWait(
                                        tasks,
                                        scoring,
                                        timeoutMs,
                                        TimeUnit.MILLISECONDS,
                                        config.scoringCapacity())
                                : AsyncDataStream.unorderedWait(
                                        tasks,
                                        scoring,
                                        timeoutMs,
                                        TimeUnit.MILLISECONDS,
                                        config.scoringCapacity()))
                        .name("scoring")
                        .uid("scoring");

        // Only the feedback topic carries feedback; filtering in its task keeps behavior events
        // off this branch's network exchange.
        DataStream<FeedbackEvent> feedback =
                feedbackInputs
                        .filter(input -> input.feedback != null)
                        .name("feedback-only")
                        .map(input -> input.feedback)
                        .returns(TypeInformation.of(FeedbackEvent.class))
                        .name("feedback");
        DataStream<Outgoing> decided =
                scored.keyBy(journey -> journey.userId)
                        .connect(feedback.keyBy(FeedbackEvent::getUserId))
                        .process(new ContactPolicyFunction(config.policy()))
                        .name("contact-policy")
                        .uid("contact-policy")
                        .flatMap(
                                new KafkaRecords.FromPolicy(
                                        config.registryUrl(), config.autoRegisterSchemas()))
                        .name("output-records")
                        .uid("output-records");
        decided.union(letters).sinkTo(sink(config)).name("kafka").uid("kafka-sink");
    }

    private static long eventTime(JobInput input, long recordTime) {
        if (input.behavior != null) {
            return input.behavior.getEventTime().toEpochMilli();
        }
        if (input.feedback != null) {
            return input.feedback.getEventTime().toEpochMilli();
        }
        return recordTime;
    }

    private static <T extends org.apache.avro.specific.SpecificRecord> KafkaSource<JobInput> source(
            IngestConfig config, String topic, Class<T> type) {
        var builder = KafkaSource.<JobInput>builder();
        if (config.bounded()) {
            builder.setBounded(OffsetsInitializer.latest());
        }
        return builder.setBootstrapServers(config.bootstrapServers())
                .setTopics(topic)
                .setGroupId(config.groupId())
                .setStartingOffsets(
                        OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST))
                .setDeserializer(new EdgeDeserializer<>(config.registryUrl(), type))
                .setProperty("isolation.level", "read_committed")
                .setProperty("client.id.prefix", config.groupId() + "-" + topic)
                .build();
    }

    private static KafkaSink<Outgoing> sink(IngestConfig config) {
        var builder =
                KafkaSink.<Outgoing>builder()
                        .setBootstrapServers(config.bootstrapServers())
                        .setRecordSerializer(new KafkaRecords.Serialization())
                        .setProperty("linger.ms", config.exactlyOnce() ? "20" : "0");
        if (config.exactlyOnce()) {
            builder.setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                    .setTransactionalIdPrefix(config.groupId())
                    .setProperty(
                            "transaction.timeout.ms",
                            String.valueOf(config.transactionTimeout().toMillis()));
        } else {
            builder.setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
                    .setProperty("enable.idempotence", "true");
        }
        return builder.build();
    }

    /** Sends dead letters to the side output and every event on. */
    static final class SplitDeadLetters extends ProcessFunction<JobInput, JobInput> {

        private static final long serialVersionUID = 1L;

        @Override
        public void processElement(JobInput input, Context ctx, Collector<JobInput> out) {
            if (input.deadLetter != null) {
                ctx.output(DEAD_LETTERS, input.deadLetter);
            } else {
                out.collect(input);
            }
        }
    }
}

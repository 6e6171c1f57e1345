package io.nextlog.ingest;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * CPU time of this JVM at one instant: the whole process (every thread, the JIT, the garbage
 * collector and native threads such as RocksDB's flushes and compactions included) and, for a
 * break-down, the Java threads grouped by what they do in a Flink MiniCluster. Nanoseconds
 * throughout.
 */
record JvmCpu(long processNanos, Map<String, Long> threadNanos) {

    /** The group of Flink task threads: "journeys (1/2)#0", "Source: behavior-events ...". */
    static final String TASKS = "flink tasks";

    /** The group of the Kafka source's fetcher threads, which poll and decode records. */
    static final String FETCHERS = "source fetchers";

    /** The group of every other Java thread. */
    static final String OTHER = "other java threads";

    private static final Pattern TASK_THREAD = Pattern.compile(".* \\(\\d+/\\d+\\)#\\d+$");

    /** Takes a sample now. */
    static JvmCpu now() {
        long process =
                ((com.sun.management.OperatingSystemMXBean)
                                ManagementFactory.getOperatingSystemMXBean())
                        .getProcessCpuTime();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        Map<String, Long> byThread = new HashMap<>();
        for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info == null) {
                continue; // ended between the two calls
            }
            long nanos = threads.getThreadCpuTime(info.getThreadId());
            if (nanos > 0) {
                byThread.put(info.getThreadId() + " " + info.getThreadName(), nanos);
            }
        }
        return new JvmCpu(process, byThread);
    }

    /** Returns the process CPU seconds used since {@code earlier}. */
    double secondsSince(JvmCpu earlier) {
        return (processNanos - earlier.processNanos) / 1e9;
    }

    /**
     * Returns the CPU seconds each thread group used since {@code earlier}; a thread started in
     * between counts from zero.
     */
    Map<String, Double> groupSecondsSince(JvmCpu earlier) {
        Map<String, Double> groups = new HashMap<>();
        threadNanos.forEach(
                (thread, nanos) -> {
                    long used = nanos - earlier.threadNanos.getOrDefault(thread, 0L);
                    groups.merge(group(thread), used / 1e9, Double::sum);
                });
        return groups;
    }

    private static String group(String thread) {
        if (thread.contains("Source Data Fetcher")) {
            return FETCHERS;
        }
        return TASK_THREAD.matcher(thread).matches() ? TASKS : OTHER;
    }
}

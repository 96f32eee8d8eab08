package dev.filesink.formats.testing;

import dev.filesink.testing.FinishedFiles;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Exactly-once checks on orders read back from finished files. */
public final class ExactlyOnce {

    private ExactlyOnce() {}

    /** Every order 0..count-1 exactly once, each equal to the order its id makes. */
    public static void assertOrders(List<Order> orders, long count, String what) {
        Map<Long, Integer> seen = new HashMap<>();
        for (Order order : orders) {
            assertThat(order).as("%s: the order read back for id %d", what, order.id).isEqualTo(Order.of(order.id));
            seen.merge(order.id, 1, Integer::sum);
        }
        List<Long> duplicated = seen.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey)
                .sorted().limit(10).toList();
        assertThat(duplicated).as("%s: orders written more than once", what).isEmpty();
        List<Long> missing = new ArrayList<>();
        for (long id = 0; id < count && missing.size() < 10; id++) {
            if (!seen.containsKey(id)) {
                missing.add(id);
            }
        }
        assertThat(missing).as("%s: orders missing (first ten)", what).isEmpty();
        assertThat(orders).as(what).hasSize((int) count);
    }

    /** No in-progress or pending file is left, and the finished files all carry the suffix. */
    public static List<Path> finishedFiles(Path root, String suffix) {
        assertThat(FinishedFiles.hidden(root)).as("in-progress or pending files left below %s", root).isEmpty();
        List<Path> files = FinishedFiles.visible(root);
        assertThat(files).as("finished files below %s", root).isNotEmpty();
        assertThat(files).allSatisfy(file -> assertThat(file.getFileName().toString()).endsWith(suffix));
        return files;
    }
}

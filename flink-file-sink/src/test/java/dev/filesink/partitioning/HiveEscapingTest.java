package dev.filesink.partitioning;

import dev.filesink.bucketassigners.partitioning.HiveEscaping;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class HiveEscapingTest {

    @Test
    void escapesWhatHiveEscapes() {
        assertThat(HiveEscaping.escapePathName("a/b")).isEqualTo("a%2Fb");
        assertThat(HiveEscaping.escapePathName("x:y")).isEqualTo("x%3Ay");
        assertThat(HiveEscaping.escapePathName("k=v")).isEqualTo("k%3Dv");
        assertThat(HiveEscaping.escapePathName("100%")).isEqualTo("100%25");
        assertThat(HiveEscaping.escapePathName("C:\\dir")).isEqualTo("C%3A%5Cdir");
        assertThat(HiveEscaping.escapePathName("\"#'*?{[]^")).isEqualTo("%22%23%27%2A%3F%7B%5B%5D%5E");
        assertThat(HiveEscaping.escapePathName("tab\there\nnew")).isEqualTo("tab%09here%0Anew");
        assertThat(HiveEscaping.escapePathName("nul\u0000del\u007Fnel\u0085")).isEqualTo("nul%00del%7Fnel%85");
    }

    @Test
    void keepsWhatHiveKeeps() {
        for (String kept : new String[] {"DE", "2026-11-22", "New York", "a.b", "..", "ünïcödé", "日本", "a+b,c;d&e@f!~$()"}) {
            assertThat(HiveEscaping.escapePathName(kept)).isSameAs(kept);
        }
    }

    @Test
    void unescapeReversesEscapeForAnyText() {
        Random random = new Random(42);
        String alphabet = "/\\.:=%?#*'\"{}[]^\u0000\u0001\n\r\t\u007F\u0085 a_-Zü日";
        for (int i = 0; i < 10_000; i++) {
            StringBuilder value = new StringBuilder();
            for (int n = random.nextInt(12); n >= 0; n--) {
                value.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            String escaped = HiveEscaping.escapePathName(value.toString());
            assertThat(escaped).doesNotContain("/", "\\", ":", "=", "\u0000", "\n");
            assertThat(HiveEscaping.unescapePathName(escaped)).isEqualTo(value.toString());
        }
    }

    @Test
    void unescapeLeavesMalformedSequencesAlone() {
        assertThat(HiveEscaping.unescapePathName("50%")).isEqualTo("50%");
        assertThat(HiveEscaping.unescapePathName("%zz%4")).isEqualTo("%zz%4");
        assertThat(HiveEscaping.unescapePathName("%2f%2F")).isEqualTo("//");
    }
}

package dev.filesink.example;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ReadableConfig;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The settings of an object store destination: the {@code filesink.s3.*} or {@code filesink.azure.*} keys of the
 * Flink configuration (config.yaml, {@code -D} on the CLI), overridden by {@code --filesink....} options of the job.
 * Unknown keys are rejected by name, so that a typo does not silently fall back to a default.
 */
final class ConnectorSettings {

    private ConnectorSettings() {}

    static Configuration collect(String prefix, Class<?> optionsClass, ReadableConfig flinkConfig, Map<String, String> jobOptions) {
        Set<String> known = knownKeys(optionsClass);
        Map<String, String> settings = new TreeMap<>();
        if (flinkConfig instanceof Configuration configuration) {
            configuration.toMap().forEach((key, value) -> {
                if (key.startsWith(prefix) && known.contains(key)) {
                    settings.put(key, value);
                }
            });
        }
        jobOptions.forEach((key, value) -> {
            if (key.startsWith(prefix)) {
                if (!known.contains(key)) {
                    throw new IllegalArgumentException("Unknown option --" + key + ". Options of this destination: "
                            + String.join(", ", known));
                }
                settings.put(key, value);
            }
        });
        return Configuration.fromMap(settings);
    }

    /** The keys of the public static {@link ConfigOption} fields of an options class. */
    static Set<String> knownKeys(Class<?> optionsClass) {
        Set<String> keys = new TreeSet<>();
        for (Field field : optionsClass.getFields()) {
            if (Modifier.isStatic(field.getModifiers()) && ConfigOption.class.isAssignableFrom(field.getType())) {
                try {
                    keys.add(((ConfigOption<?>) field.get(null)).key());
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return keys;
    }
}

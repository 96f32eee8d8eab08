package dev.filesink.formats.csv;

import org.apache.flink.util.function.SerializableFunction;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;

/**
 * The columns of a POJO: its non-static, non-transient fields in declaration order (superclass fields first), read
 * through a public getter where there is one.
 */
final class PojoColumns {

    private PojoColumns() {}

    static <T> List<CsvColumn<T>> of(Class<T> type, List<String> only) {
        List<Class<?>> hierarchy = new ArrayList<>();
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            hierarchy.add(0, c);
        }
        List<String> names = new ArrayList<>();
        for (Class<?> c : hierarchy) {
            for (Field field : c.getDeclaredFields()) {
                int modifiers = field.getModifiers();
                if (!Modifier.isStatic(modifiers) && !Modifier.isTransient(modifiers) && !field.isSynthetic()) {
                    names.add(field.getName());
                }
            }
        }
        List<String> chosen = only.isEmpty() ? names : only;
        List<CsvColumn<T>> columns = new ArrayList<>();
        for (String name : chosen) {
            if (!names.contains(name)) {
                throw new IllegalArgumentException("CSV column '" + name + "': " + type.getName()
                        + " has no such field; its fields are " + names);
            }
            columns.add(CsvColumn.of(name, new PropertyReader<>(type, name)));
        }
        if (columns.isEmpty()) {
            throw new IllegalArgumentException(type.getName() + " has no fields to write as CSV columns");
        }
        return columns;
    }

    /** Reads one property by getter or field; the reflective handles are found again after deserialization. */
    private static final class PropertyReader<T> implements SerializableFunction<T, Object> {
        private static final long serialVersionUID = 1L;

        private final Class<T> type;
        private final String name;
        private transient Method getter;
        private transient Field field;

        PropertyReader(Class<T> type, String name) {
            this.type = type;
            this.name = name;
            resolve();
        }

        @Override
        public Object apply(T record) {
            if (getter == null && field == null) {
                resolve();
            }
            try {
                return getter != null ? getter.invoke(record) : field.get(record);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("Cannot read '" + name + "' of " + type.getName() + ": " + e, e);
            }
        }

        private void resolve() {
            String capitalized = Character.toUpperCase(name.charAt(0)) + name.substring(1);
            for (String candidate : List.of("get" + capitalized, "is" + capitalized, name)) {
                try {
                    Method method = type.getMethod(candidate);
                    if (method.getParameterCount() == 0 && method.getReturnType() != void.class) {
                        getter = method;
                        return;
                    }
                } catch (NoSuchMethodException ignored) {
                    // try the next naming convention, then the field itself
                }
            }
            for (Class<?> c = type; c != null; c = c.getSuperclass()) {
                try {
                    field = c.getDeclaredField(name);
                    field.setAccessible(true);
                    return;
                } catch (NoSuchFieldException ignored) {
                    // declared further up
                }
            }
            throw new IllegalArgumentException(type.getName() + " has no readable property '" + name + "'");
        }
    }
}

package dev.filesink.bucketassigners.partitioning;

import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Locale;

/**
 * Reads a property of a POJO or Java record: a getter, a record-style accessor, or a field. The accessor is looked
 * up on the declared class when the job is built (so that a misspelt name fails there) and again, once, for each
 * subclass the job's records turn out to be.
 */
final class PojoFieldExtractor<T> implements FieldExtractor<T> {

    private static final long serialVersionUID = 1L;

    private final Class<T> type;
    private final String property;

    private transient Class<?> resolvedFor;
    private transient Accessor accessor;

    PojoFieldExtractor(Class<T> type, String property) {
        if (type == null) {
            throw new IllegalArgumentException("POJO class must not be null");
        }
        if (property == null || property.isEmpty()) {
            throw new IllegalArgumentException("POJO property name must not be null or empty");
        }
        this.type = type;
        this.property = property;
        this.accessor = resolve(type, property);
        this.resolvedFor = type;
    }

    @Override
    public Object extract(T record) {
        Class<?> recordClass = record.getClass();
        if (recordClass != resolvedFor) {
            accessor = resolve(recordClass, property);
            resolvedFor = recordClass;
        }
        try {
            return accessor.read(record);
        } catch (ReflectiveOperationException e) {
            Throwable cause = e instanceof InvocationTargetException ? e.getCause() : e;
            throw new IllegalStateException("Reading property '" + property + "' of " + recordClass.getName()
                    + " failed: " + cause, cause);
        }
    }

    private static Accessor resolve(Class<?> type, String property) {
        String capitalized = property.substring(0, 1).toUpperCase(Locale.ROOT) + property.substring(1);
        for (String name : new String[] {"get" + capitalized, "is" + capitalized, property}) {
            Method method = publicNoArgMethod(type, name);
            if (method != null && method.getReturnType() != void.class
                    && (!name.startsWith("is") || name.equals(property) || isBoolean(method.getReturnType()))) {
                return method::invoke;
            }
        }
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            try {
                Field field = c.getDeclaredField(property);
                if (Modifier.isStatic(field.getModifiers())) {
                    continue;
                }
                if (!Modifier.isPublic(field.getModifiers()) || !Modifier.isPublic(c.getModifiers())) {
                    field.setAccessible(true);
                }
                return field::get;
            } catch (NoSuchFieldException e) {
                // look in the superclass
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("Property '" + property + "' of " + type.getName()
                        + " is not accessible: " + e.getMessage() + "; add a public getter", e);
            }
        }
        throw new IllegalArgumentException(type.getName() + " has no property '" + property + "': no public get"
                + capitalized + "(), is" + capitalized + "() or " + property + "() method and no field of that name");
    }

    private static Method publicNoArgMethod(Class<?> type, String name) {
        try {
            Method method = type.getMethod(name);
            if (Modifier.isStatic(method.getModifiers())) {
                return null;
            }
            if (!Modifier.isPublic(method.getDeclaringClass().getModifiers())) {
                // A public method of a non-public class (e.g. a test's nested record) needs this to be invoked.
                method.setAccessible(true);
            }
            return method;
        } catch (NoSuchMethodException e) {
            return null;
        }
    }

    private static boolean isBoolean(Class<?> type) {
        return type == boolean.class || type == Boolean.class;
    }

    @Override
    public String toString() {
        return type.getSimpleName() + "." + property;
    }

    /** A getter or field, as one call. */
    @FunctionalInterface
    private interface Accessor {
        Object read(Object target) throws ReflectiveOperationException;
    }
}

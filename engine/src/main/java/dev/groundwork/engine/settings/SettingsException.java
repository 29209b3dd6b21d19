package dev.groundwork.engine.settings;

/** A {@code GW_*} variable holds a value its reader does not understand; the message names both. */
public final class SettingsException extends IllegalArgumentException {
    public SettingsException(String message) { super(message); }
}

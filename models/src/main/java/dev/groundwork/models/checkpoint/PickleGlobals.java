package dev.groundwork.models.checkpoint;

/**
 * An allow-list profile of the {@link Unpickler}: which globals a pickle may name (refused at the
 * GLOBAL opcode, with the name and offset, otherwise) and what REDUCE, NEWOBJ and BUILD do with them.
 * Each profile maps every allowed name to fixed Java code building plain data. Two exist: torch state
 * dicts ({@link TorchGlobals#PROFILE}) and numpy data pickles ({@link NumpyGlobals}).
 */
interface PickleGlobals {
    Object resolve(String module, String name, long offset) throws PickleException;

    Object call(Object callable, Pickled.Tuple args, long offset) throws PickleException;

    Object newObject(Object cls, Pickled.Tuple args, long offset) throws PickleException;

    void build(Object target, Object state, long offset) throws PickleException;
}

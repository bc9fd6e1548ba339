package io.jneuron.kernel;

import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Handle;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * Keeps a cell from ending the kernel: snippet classes run in the kernel's JVM, so {@code System.exit(0)}
 * in a cell would kill it with no reply. The SecurityManager that once caught this is gone on newer
 * JDKs, so the snippet's bytecode is rewritten instead: calls to {@code System.exit},
 * {@code Runtime.exit} and {@code Runtime.halt} (direct or as method references) go to methods here
 * that throw {@link Refused}. Library code loaded with %jars or %maven is not rewritten.
 */
public final class ExitGuard {
    private static final String SELF = "io/jneuron/kernel/ExitGuard";

    private ExitGuard() {
    }

    /** Thrown in place of ending the JVM; the kernel turns it into a one-line cell error. */
    public static final class Refused extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Refused(String call, int status) {
            super(call + "(" + status + ") is refused in a notebook: it would end the kernel. Stop with an exception "
                    + "or `return`, or restart the kernel from the Kernel menu");
        }
    }

    public static void exit(int status) {
        throw new Refused("System.exit", status);
    }

    public static void runtimeExit(Runtime runtime, int status) {
        throw new Refused("Runtime.exit", status);
    }

    public static void runtimeHalt(Runtime runtime, int status) {
        throw new Refused("Runtime.halt", status);
    }

    /** The class with every exit call redirected here; the bytes unchanged if there is none. */
    static byte[] rewrite(byte[] classBytes) {
        ClassReader reader = new ClassReader(classBytes);
        // Same stack shape before and after (static(I) for static(I), virtual(Runtime,I) for static(Runtime,I)),
        // so maxs and frames are copied as they are.
        ClassWriter writer = new ClassWriter(reader, 0);
        boolean[] changed = new boolean[1];
        reader.accept(new ClassVisitor(Opcodes.ASM9, writer) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String desc, String sig, String[] exceptions) {
                return new MethodVisitor(Opcodes.ASM9, super.visitMethod(access, name, desc, sig, exceptions)) {
                    @Override
                    public void visitMethodInsn(int op, String owner, String mname, String mdesc, boolean itf) {
                        String target = target(op == Opcodes.INVOKESTATIC, owner, mname, mdesc);
                        if (target != null) {
                            changed[0] = true;
                            super.visitMethodInsn(Opcodes.INVOKESTATIC, SELF, target,
                                    owner.equals("java/lang/System") ? "(I)V" : "(Ljava/lang/Runtime;I)V", false);
                        } else {
                            super.visitMethodInsn(op, owner, mname, mdesc, itf);
                        }
                    }

                    @Override
                    public void visitInvokeDynamicInsn(String name, String desc, Handle bsm, Object... args) {
                        for (int i = 0; i < args.length; i++) {
                            if (args[i] instanceof Handle h) {
                                String target = target(h.getTag() == Opcodes.H_INVOKESTATIC, h.getOwner(), h.getName(),
                                        h.getDesc());
                                if (target != null) {
                                    changed[0] = true;
                                    args[i] = new Handle(Opcodes.H_INVOKESTATIC, SELF, target,
                                            h.getOwner().equals("java/lang/System") ? "(I)V" : "(Ljava/lang/Runtime;I)V",
                                            false);
                                }
                            }
                        }
                        super.visitInvokeDynamicInsn(name, desc, bsm, args);
                    }
                };
            }
        }, 0);
        return changed[0] ? writer.toByteArray() : classBytes;
    }

    private static String target(boolean isStatic, String owner, String name, String desc) {
        if (!"(I)V".equals(desc)) {
            return null;
        }
        if (isStatic && owner.equals("java/lang/System") && name.equals("exit")) {
            return "exit";
        }
        if (!isStatic && owner.equals("java/lang/Runtime") && name.equals("exit")) {
            return "runtimeExit";
        }
        if (!isStatic && owner.equals("java/lang/Runtime") && name.equals("halt")) {
            return "runtimeHalt";
        }
        return null;
    }
}

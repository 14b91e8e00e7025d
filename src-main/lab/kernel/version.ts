/**
 * The Linux the lab follows: its outputs, errors and numbers are this kernel's,
 * checked side by side with it in network namespaces (`npm run fidelity`).
 */
export const LINUX_FOLLOWED = '6.18';

/** What `uname -r` and modprobe's paths say on the lab's hosts. */
export const KERNEL_RELEASE = `${LINUX_FOLLOWED}.0-netlab`;

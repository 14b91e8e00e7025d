/** Who is asking: the kernel checks CAP_NET_ADMIN, which here means uid 0. */
export interface Cred {
  readonly uid: number;
}

export const ROOT: Cred = { uid: 0 };
export const USER: Cred = { uid: 1000 };

/** `capable(CAP_NET_ADMIN)` */
export function capableNetAdmin(cred: Cred): boolean {
  return cred.uid === 0;
}

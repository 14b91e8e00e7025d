/**
 * Linux errno values the lab's kernel returns, with their names and the text
 * `strerror` gives. Kernel functions return 0 or a negative errno, as in Linux;
 * the edges (shell, API) turn them into `EPERM (1): Operation not permitted`.
 */
export const EPERM = 1;
export const ENOENT = 2;
export const ESRCH = 3;
export const EIO = 5;
export const ENXIO = 6;
export const EAGAIN = 11;
export const EACCES = 13;
export const ENOMEM = 12;
export const EFAULT = 14;
export const EBUSY = 16;
export const EEXIST = 17;
export const ENODEV = 19;
export const EINVAL = 22;
export const ENOTTY = 25;
export const ENOSPC = 28;
export const ERANGE = 34;
export const EMSGSIZE = 90;
export const EOPNOTSUPP = 95;
export const EADDRINUSE = 98;
export const EISCONN = 106;
export const EDESTADDRREQ = 89;
export const EHOSTUNREACH = 113;
export const EADDRNOTAVAIL = 99;
export const ENETDOWN = 100;
export const ENETUNREACH = 101;
export const ENOBUFS = 105;
export const EOVERFLOW = 75;
export const ELOOP = 40;

const TABLE: Record<number, [string, string]> = {
  [EPERM]: ['EPERM', 'Operation not permitted'],
  [ENOENT]: ['ENOENT', 'No such file or directory'],
  [ESRCH]: ['ESRCH', 'No such process'],
  [EIO]: ['EIO', 'Input/output error'],
  [ENXIO]: ['ENXIO', 'No such device or address'],
  [EAGAIN]: ['EAGAIN', 'Resource temporarily unavailable'],
  [EACCES]: ['EACCES', 'Permission denied'],
  [ENOMEM]: ['ENOMEM', 'Cannot allocate memory'],
  [EFAULT]: ['EFAULT', 'Bad address'],
  [EBUSY]: ['EBUSY', 'Device or resource busy'],
  [EEXIST]: ['EEXIST', 'File exists'],
  [ENODEV]: ['ENODEV', 'No such device'],
  [EINVAL]: ['EINVAL', 'Invalid argument'],
  [ENOTTY]: ['ENOTTY', 'Inappropriate ioctl for device'],
  [ENOSPC]: ['ENOSPC', 'No space left on device'],
  [ERANGE]: ['ERANGE', 'Numerical result out of range'],
  [EOVERFLOW]: ['EOVERFLOW', 'Value too large for defined data type'],
  [EMSGSIZE]: ['EMSGSIZE', 'Message too long'],
  [EOPNOTSUPP]: ['EOPNOTSUPP', 'Operation not supported'],
  [EADDRINUSE]: ['EADDRINUSE', 'Address already in use'],
  [EADDRNOTAVAIL]: ['EADDRNOTAVAIL', 'Cannot assign requested address'],
  [ENETDOWN]: ['ENETDOWN', 'Network is down'],
  [ENETUNREACH]: ['ENETUNREACH', 'Network is unreachable'],
  [ENOBUFS]: ['ENOBUFS', 'No buffer space available'],
  [EISCONN]: ['EISCONN', 'Transport endpoint is already connected'],
  [EDESTADDRREQ]: ['EDESTADDRREQ', 'Destination address required'],
  [EHOSTUNREACH]: ['EHOSTUNREACH', 'No route to host'],
  [ELOOP]: ['ELOOP', 'Too many levels of symbolic links'],
};

/** `errnoName(-16)` and `errnoName(16)` are both 'EBUSY'. */
export function errnoName(err: number): string {
  return TABLE[Math.abs(err)]?.[0] ?? `E${Math.abs(err)}`;
}

export function strerror(err: number): string {
  return TABLE[Math.abs(err)]?.[1] ?? `Unknown error ${Math.abs(err)}`;
}

/** `EBUSY (16): Device or resource busy` */
export function describeErrno(err: number): string {
  return `${errnoName(err)} (${Math.abs(err)}): ${strerror(err)}`;
}

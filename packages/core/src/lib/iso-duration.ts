/**
 * Seconds as an ISO 8601 duration, as Explo's API expects for `expiration`:
 * 3600 -> "PT1H", 5400 -> "PT1H30M", 86400 -> "P1D", 90 -> "PT1M30S".
 */
export function toIsoDuration(totalSeconds: number): string {
  if (!Number.isInteger(totalSeconds) || totalSeconds <= 0) {
    throw new TypeError('toIsoDuration takes a positive whole number of seconds.');
  }
  const days = Math.floor(totalSeconds / 86_400);
  const hours = Math.floor((totalSeconds % 86_400) / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = totalSeconds % 60;
  const time = `${hours ? `${hours}H` : ''}${minutes ? `${minutes}M` : ''}${seconds ? `${seconds}S` : ''}`;
  return `P${days ? `${days}D` : ''}${time ? `T${time}` : ''}`;
}

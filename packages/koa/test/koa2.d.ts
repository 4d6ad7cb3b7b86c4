// Koa 2 is installed under the alias "koa2" to test both majors side by side.
declare module 'koa2' {
  import type Koa from 'koa';

  const Koa2: typeof Koa;
  export default Koa2;
}

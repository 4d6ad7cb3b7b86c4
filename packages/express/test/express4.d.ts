// Express 4 is installed under the alias "express4" to test both majors side by side.
declare module 'express4' {
  import type express from 'express';

  const express4: typeof express;
  export default express4;
}

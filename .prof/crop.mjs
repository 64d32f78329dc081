import sharp from 'sharp';
for (const n of process.argv.slice(2)) {
  const img = sharp(`/work/main/test-results/screenshots/${n}.png`);
  const { width, height } = await img.metadata();
  const h = Math.min(height, width > 500 ? 700 : 1300);
  await img.extract({ left: 0, top: height - h, width, height: h }).toFile(`/tmp/${n}-bottom.png`);
  console.log(n, width, height);
}

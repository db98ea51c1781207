using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Hearth.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class People : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "People",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    SiteId = table.Column<long>(type: "INTEGER", nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Key = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    UserId = table.Column<long>(type: "INTEGER", nullable: true),
                    Name = table.Column<string>(type: "TEXT", maxLength: 80, nullable: false),
                    FirstCommentAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    LastCommentAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    LastActiveDay = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    Comments = table.Column<int>(type: "INTEGER", nullable: false),
                    Approved = table.Column<int>(type: "INTEGER", nullable: false),
                    RepliesGiven = table.Column<int>(type: "INTEGER", nullable: false),
                    RepliesReceived = table.Column<int>(type: "INTEGER", nullable: false),
                    DaysActive = table.Column<int>(type: "INTEGER", nullable: false),
                    ReportsAgainst = table.Column<int>(type: "INTEGER", nullable: false),
                    TrustLevel = table.Column<int>(type: "INTEGER", nullable: false),
                    MergedIntoId = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_People", x => x.Id);
                    table.ForeignKey(
                        name: "FK_People_Sites_SiteId",
                        column: x => x.SiteId,
                        principalTable: "Sites",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_People_SiteId_Comments",
                table: "People",
                columns: new[] { "SiteId", "Comments" });

            migrationBuilder.CreateIndex(
                name: "IX_People_SiteId_Key",
                table: "People",
                columns: new[] { "SiteId", "Key" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_People_SiteId_LastCommentAt",
                table: "People",
                columns: new[] { "SiteId", "LastCommentAt" });

            migrationBuilder.CreateIndex(
                name: "IX_People_UserId",
                table: "People",
                column: "UserId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "People");
        }
    }
}
